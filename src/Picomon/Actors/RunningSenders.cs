using Akka.Actor;
using Akka.Event;
using Picomon.Configuration;

namespace Picomon.Actors;

/// <summary>The notifier's senders, one per channel: started, reconfigured or stopped as the channels change (a stopped
/// channel's outbox stays, for when it comes back), woken when their outbox gets messages, flushed at exit.</summary>
internal sealed class RunningSenders(IChannelSenders factory)
{
    private readonly Dictionary<string, (ChannelSettings Channel, IActorRef Sender)> _running = new(StringComparer.Ordinal);

    /// <summary>Starts the senders of new channels, reconfigures kept ones, stops those of removed ones.</summary>
    public void Apply(IUntypedActorContext context, PicomonSettings settings)
    {
        foreach (var channel in settings.Notify.Channels)
        {
            if (_running.TryGetValue(channel.Name, out var running) && running.Channel.TypeName == channel.TypeName)
            {
                running.Sender.Tell(factory.Reconfigure(channel, settings));
                _running[channel.Name] = (channel, running.Sender);
                continue;
            }
            if (running.Sender is not null) Stop(context, running.Sender);
            _running[channel.Name] = (channel, factory.Start(context, channel, settings));
        }
        foreach (var gone in _running.Keys.Where(name => settings.Notify.Channels.All(c => c.Name != name)).ToList())
            if (_running.Remove(gone, out var running)) Stop(context, running.Sender);
    }

    /// <summary>Tells the senders of <paramref name="channels"/> that their outbox has messages.</summary>
    public void Wake(IEnumerable<string> channels)
    {
        foreach (var channel in channels)
            if (_running.TryGetValue(channel, out var running))
                running.Sender.Tell(running.Channel is MailChannelSettings ? Mailer.Deliver.Instance : ChannelSender.Deliver.Instance);
    }

    /// <summary>Asks the senders started as children of <paramref name="self"/> to deliver what is queued within
    /// <paramref name="within"/>; the messages left unsent.</summary>
    public async Task<int> FlushAsync(IActorRef self, TimeSpan within, ILoggingAdapter log)
    {
        var children = _running.Values.Where(r => r.Sender.Path.Parent == self.Path).ToList();
        return (await Task.WhenAll(children.Select(r => FlushAsync(r.Channel, r.Sender, within, log)))).Sum();
    }

    private static async Task<int> FlushAsync(ChannelSettings channel, IActorRef sender, TimeSpan within, ILoggingAdapter log)
    {
        object request = channel is MailChannelSettings ? new Mailer.Flush(within) : new ChannelSender.Flush(within);
        try
        {
            return await sender.Ask<object>(request, within + TimeSpan.FromSeconds(2)) switch
            {
                Mailer.Flushed m => m.Unsent,
                ChannelSender.Flushed c => c.Unsent,
                _ => 0,
            };
        }
        catch (AskTimeoutException)
        {
            log.Warning("channel {0} did not say what it could not deliver before exit", channel.Name);
            return 0;
        }
    }

    // The email channel's sender is the daemon's own mailer, not the notifier's to stop.
    private static void Stop(IUntypedActorContext context, IActorRef sender)
    {
        if (sender.Path.Parent == context.Self.Path) context.Stop(sender);
    }
}
