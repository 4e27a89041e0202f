using Akka.Actor;
using Npgsql;
using Picomon.Actors;
using Picomon.Control;
using Picomon.State;
using Picomon.State.Postgres;

namespace Picomon.Cluster;

/// <summary>A node's answer to the operator's <c>silence</c> and <c>ack</c> commands, standing where a single node has
/// its aggregator: silences and acks are the cluster's (tables in PostgreSQL), not a partition's, so they are written
/// here without a fence; after a silence is added or expired, every node's partitions are told to look at the
/// silences again (<see cref="NodeProtocol.SilencesChanged"/>, through <c>broadcast</c>). An ack needs the check's
/// row, read from the database whichever node runs it; the notifier reads the acks when reminders fall due.</summary>
public sealed class ClusterHolds : ReceiveActor
{
    private readonly HoldBook _book;

    /// <summary>How long a silence's command waits for every node to have applied it.</summary>
    public static readonly TimeSpan ApplyTime = TimeSpan.FromSeconds(10);

    /// <param name="broadcast">Asked <see cref="NodeProtocol.SilencesChanged"/> for every node (the cluster view); it
    /// answers once every node that answers in time has applied the change.</param>
    public ClusterHolds(NpgsqlDataSource db, IActorRef broadcast)
    {
        _book = new HoldBook(new PostgresHoldStore(new PostgresDirect(db)));
        // The command answers once the nodes hold by the new silences: a check failing right after it is held.
        ReceiveAsync<StateAggregator.AddSilence>(async a =>
        {
            var silence = Run(() => _book.AddSilence(a.Patterns, a.For, a.Comment, Now));
            if (silence is not null) await broadcast.Ask<NodeProtocol.SilencesApplied>(new NodeProtocol.SilencesChanged(), ApplyTime);
            if (silence is not null) Sender.Tell(silence);
        });
        Receive<StateAggregator.ListSilences>(_ =>
        {
            if (Run(() => new StateAggregator.SilenceList(_book.ActiveSilences(Now))) is { } list) Sender.Tell(list);
        });
        ReceiveAsync<StateAggregator.ExpireSilence>(async e =>
        {
            var expired = Run(() => new StateAggregator.SilenceExpired(e.Id, _book.ExpireSilence(e.Id, Now)));
            if (expired is { Found: true }) await broadcast.Ask<NodeProtocol.SilencesApplied>(new NodeProtocol.SilencesChanged(), ApplyTime);
            if (expired is not null) Sender.Tell(expired);
        });
        Receive<StateAggregator.Acknowledge>(ack =>
        {
            var answer = Run(() =>
            {
                var row = new PostgresDirect(db).Read(connection =>
                    PostgresRows.Read(connection, "WHERE id = @id", ("id", ack.CheckId)).FirstOrDefault(), null);
                var (made, refusal) = _book.Acknowledge(ack.CheckId, row?.ToCheckState(), ack.Comment, Now);
                return new StateAggregator.Acknowledged(made, refusal);
            });
            if (answer is not null) Sender.Tell(answer);
        });
    }

    public static Props Props(NpgsqlDataSource db, IActorRef broadcast) => Akka.Actor.Props.Create(() => new ClusterHolds(db, broadcast));

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    // A database that cannot be reached fails the command with its reason (null here), and this actor goes on.
    private T? Run<T>(Func<T> command) where T : class
    {
        try
        {
            return command();
        }
        catch (Exception e) when (PostgresDatabase.IsDatabaseError(e))
        {
            Sender.Tell(new Akka.Actor.Status.Failure(new ControlRequestException($"cannot reach the state database: {PostgresDatabase.Describe(e)}")));
            return null;
        }
    }
}
