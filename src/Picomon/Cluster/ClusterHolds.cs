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

    /// <param name="broadcast">Told <see cref="NodeProtocol.SilencesChanged"/> for every node (the cluster view).</param>
    public ClusterHolds(NpgsqlDataSource db, IActorRef broadcast)
    {
        _book = new HoldBook(new PostgresHoldStore(new PostgresDirect(db)));
        Receive<StateAggregator.AddSilence>(a => Answer(() =>
        {
            var silence = _book.AddSilence(a.Patterns, a.For, a.Comment, Now);
            broadcast.Tell(new NodeProtocol.SilencesChanged());
            return silence;
        }));
        Receive<StateAggregator.ListSilences>(_ => Answer(() => new StateAggregator.SilenceList(_book.ActiveSilences(Now))));
        Receive<StateAggregator.ExpireSilence>(e => Answer(() =>
        {
            var found = _book.ExpireSilence(e.Id, Now);
            if (found) broadcast.Tell(new NodeProtocol.SilencesChanged());
            return new StateAggregator.SilenceExpired(e.Id, found);
        }));
        Receive<StateAggregator.Acknowledge>(ack => Answer(() =>
        {
            var row = new PostgresDirect(db).Read(connection =>
                PostgresRows.Read(connection, "WHERE id = @id", ("id", ack.CheckId)).FirstOrDefault(), null);
            var (made, refusal) = _book.Acknowledge(ack.CheckId, row?.ToCheckState(), ack.Comment, Now);
            return new StateAggregator.Acknowledged(made, refusal);
        }));
    }

    public static Props Props(NpgsqlDataSource db, IActorRef broadcast) => Akka.Actor.Props.Create(() => new ClusterHolds(db, broadcast));

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    // A database that cannot be reached fails the command with its reason, and this actor goes on.
    private void Answer(Func<object> command)
    {
        try
        {
            Sender.Tell(command());
        }
        catch (Exception e) when (PostgresDatabase.IsDatabaseError(e))
        {
            Sender.Tell(new Akka.Actor.Status.Failure(new ControlRequestException($"cannot reach the state database: {PostgresDatabase.Describe(e)}")));
        }
    }
}
