namespace Picomon.State;

/// <summary>The in-memory mirror of one channel's outbox: items in line by their sequence number, and the items
/// refused for good with their reason. Not thread-safe: the store's lock guards it.</summary>
/// <param name="id">An item's identity (its Message-ID): marking finds the item by it.</param>
internal sealed class OrderedQueue<T>(Func<T, string> id) where T : class
{
    private readonly LinkedList<(long Seq, T Item)> _queue = new();
    private readonly List<(long Seq, T Item, string Reason)> _dead = [];

    public int Count => _queue.Count;

    public T? First => _queue.First?.Value.Item;

    public IEnumerable<(long Seq, T Item)> Queued => _queue;

    public IEnumerable<(long Seq, T Item, string Reason)> Dead => _dead;

    public void Add(long seq, T item) => _queue.AddLast((seq, item));

    public void AddDead(long seq, T item, string reason) => _dead.Add((seq, item, reason));

    /// <summary>Takes <paramref name="item"/> out of the line; its sequence number, or null when it was not in it.</summary>
    public long? Remove(T item)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
            if (id(node.Value.Item) == id(item))
            {
                _queue.Remove(node);
                return node.Value.Seq;
            }
        return null;
    }
}
