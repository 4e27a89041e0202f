using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Picomon.Actors;
using Picomon.Cluster;
using Picomon.Configuration;
using Picomon.Control;
using Picomon.Logging;
using Picomon.Mail;
using Picomon.Scheduling;
using Picomon.State;
using Picomon.State.Postgres;
using Picomon.Status;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Picomon.Cli;

/// <summary>The daemon as one node of a cluster (<c>picomon.cluster.enabled</c>): Akka.Remote on <c>cluster.listen</c>, Akka.Cluster with the
/// static seeds and the split-brain resolver in keep-majority, the checks in <see cref="Partitions.Count"/> partitions
/// placed by a sharded daemon process, the notifier a cluster singleton, the state in PostgreSQL. A node that the
/// resolver removes (the minority side of a partition, or a node that was paused too long) stops its checks and its
/// notifier with the actor system, and exits with status 1, so that systemd restarts it and it joins again.</summary>
internal static class ClusterDaemon
{
    public const int RemovedFromCluster = 1;

    public static async Task<int> RunAsync(PicomonSettings settings, LogLevel level, LineLoggerProvider logs, ILogger log, SignalRelay signals)
    {
        NpgsqlDataSource database;
        try
        {
            database = PostgresDatabase.Open(settings.Cluster.Database);
        }
        catch (StateStoreException e)
        {
            await Console.Error.WriteLineAsync($"picomon: {e.Message}");
            return App.UsageOrConfigError;
        }
        using (database)
        {
            ControlServer control;
            try
            {
                Directory.CreateDirectory(settings.StateDir);
                control = ControlServer.Bind(settings.StateDir);
            }
            catch (Exception e) when (e is ControlSocketException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"picomon: {e.Message}");
                return App.UsageOrConfigError;
            }
            await using var _ = control;
            var (listening, http) = await Daemon.StartHttpAsync(settings, logs, log);
            if (!listening) return App.UsageOrConfigError;
            await using var __ = http;
            var operations = Daemon.NewOperations(http, log);
            var started = new TaskCompletionSource<ActorSystem>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var host = Daemon.BuildHost(settings, level, logs, system =>
            {
                StartActors(system, settings, database, new Daemon.Relays(signals, control, operations, log));
                started.TrySetResult(system);
            }, akka => Configure(akka, settings));
            await host.StartAsync();
            var actors = await started.Task;
            // The resolver's decision ends the actor system, not the host: end both, then say why.
            await Task.WhenAny(host.WaitForShutdownAsync(), actors.WhenTerminated);
            await host.StopAsync();
            if (CoordinatedShutdown.Get(actors).ShutdownReason is CoordinatedShutdown.ClusterDowningReason)
            {
                log.LogError("This node was removed from the cluster (unreachable from the majority, or paused too long); "
                             + "it ran nothing more and exits with status {Status} so that it is restarted and joins again", RemovedFromCluster);
                return RemovedFromCluster;
            }
        }
        log.LogInformation("Picomon stopped");
        return App.Ok;
    }

    private static void Configure(AkkaConfigurationBuilder akka, PicomonSettings settings)
    {
        var cluster = settings.Cluster;
        akka.WithRemoting(cluster.Listen.Host, cluster.Listen.Port);
        akka.WithClustering(new ClusterOptions
        {
            SeedNodes = cluster.Seeds.Select(s => $"akka.tcp://picomon@{Configuration.ClusterSettings.NodeName(s.Host, s.Port)}").ToArray(),
            SplitBrainResolver = new KeepMajorityOption(),
        });
        akka.AddHocon(ConfigurationFactory.ParseString(Hocon(settings)), HoconAddMode.Prepend);
        // The operator's akka block still wins over Picomon's cluster defaults.
        if (settings.AkkaHocon is not null) akka.AddHocon(ConfigurationFactory.ParseString(settings.AkkaHocon), HoconAddMode.Prepend);
    }

    /// <summary>The cluster's timings, chosen (and measured, see the README) so that the checks of a node killed with
    /// <c>kill -9</c> run elsewhere within 15 s on a busy 2-core machine, while a GC pause of a second is not taken for
    /// a dead node: a heartbeat every second, 3 s of silence tolerated, the resolver deciding after 3 s of stable
    /// membership, the partitions and the notifier of a removed node restarted after half a second (rather than after
    /// stable-after again: the fencing epochs, not this wait, keep a removed node that still runs from writing), and
    /// every partition pinged every second so that a freed one restarts at once.</summary>
    private static string Hocon(PicomonSettings settings) =>
        $"""
        akka.cluster.min-nr-of-members = {settings.Cluster.Seeds.Count / 2 + 1}
        akka.cluster.failure-detector.heartbeat-interval = 1s
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
        akka.cluster.split-brain-resolver.active-strategy = keep-majority
        akka.cluster.split-brain-resolver.stable-after = 3s
        akka.cluster.down-removal-margin = 500ms
        akka.cluster.sharded-daemon-process.keep-alive-interval = 1s
        {Sharding("akka.cluster.sharding", settings)}
        {Sharding("akka.cluster.sharded-daemon-process.sharding", settings)}
        akka.cluster.singleton.hand-over-retry-interval = 500ms
        akka.cluster.run-coordinated-shutdown-when-down = on
        akka.cluster.log-info = off
        akka.remote.dot-netty.tcp.maximum-frame-size = 64MiB
        akka.remote.dot-netty.tcp.send-buffer-size = 1MiB
        akka.remote.dot-netty.tcp.receive-buffer-size = 1MiB
        akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = {Daemon.StopSeconds(settings)}s
        akka.coordinated-shutdown.phases.cluster-exiting.timeout = 12s
        {ClusterSerializer.Hocon}
        """;

    /// <summary>The sharding of the partitions, under both paths (the sharded daemon process copies
    /// <c>akka.cluster.sharding</c> when Akka's reference configuration is read, before Picomon's is added): the
    /// coordinator's state in distributed data, so that a coordinator started on another node after a kill knows where
    /// every partition runs (the default, persistence, kept it in each node's in-memory journal), written to and read
    /// from a plain majority of the nodes: no "plus" (by default a majority plus 3 and plus 5) and a minimum of 2 (by
    /// default 5); either default makes it every node of three, so each update waited 5 s at a time for the dead node
    /// until it was removed (failovers of 16 s, measured); a rebalance onto a
    /// node that joined done in one round every 2 s rather than 6 partitions every 10 s, so that a node restarted
    /// after a kill runs its share within seconds; and a hand-off bounded to what a partition's graceful stop needs
    /// (its longest run), not 60 s, so that a kill during a rebalance does not hold the dead node's partitions.</summary>
    private static string Sharding(string path, PicomonSettings settings) =>
        $"""
        {path}.state-store-mode = ddata
        {path}.coordinator-state.write-majority-plus = 0
        {path}.coordinator-state.read-majority-plus = 0
        {path}.distributed-data.majority-min-cap = 2
        {path}.rebalance-interval = 2s
        {path}.handoff-timeout = {Math.Max(10, Daemon.StopSeconds(settings))}s
        {path}.least-shard-allocation-strategy.rebalance-absolute-limit = {Partitions.Count}
        {path}.least-shard-allocation-strategy.rebalance-relative-limit = 1.0
        """;

    private static void StartActors(ActorSystem system, PicomonSettings settings, NpgsqlDataSource database, Daemon.Relays relays)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => relays.Log.LogInformation("Cluster: this node is up in the cluster ({Node}), with {Members} members",
            ClusterMembers.NodeName(cluster.SelfAddress), cluster.State.Members.Count(m => m.Status == MemberStatus.Up)));
        var node = new NodeContext(database, new PartitionLeases(database, ClusterMembers.Owner(cluster.SelfUniqueAddress)),
            ClusterMembers.NodeName(cluster.SelfAddress), relays.Operations.Probe(c => c.Type.CreateProbe(c.Options, App.Version)),
            new MailComposer(ConfigLoader.Fqdn.Value), relays.Operations.Notifications, new LoadStats(), settings)
        {
            IsMember = owner => ClusterMembers.IsMember(cluster, owner),
        };
        var file = settings.Source == ConfigLoader.EmbeddedSource ? null : settings.Source;
        var slot = new ReloadSlot();
        node.Agent = system.ActorOf(NodeAgent.Props(node, slot, () => ConfigLoader.Load(file)), NodeAgent.Name);
        system.ActorOf(LoadMonitor.Props(node.Load), "load-monitor");
        var view = system.ActorOf(ClusterView.Props(), "cluster-view");
        system.ActorOf(ClusterSingletonManager.Props(NotifierActor.Props(node, view), NotifierActor.Stop.Instance,
            ClusterSingletonManagerSettings.Create(system)), NotifierActor.Name);
        node.Notifier = system.ActorOf(ClusterSingletonProxy.Props($"/user/{NotifierActor.Name}",
            ClusterSingletonProxySettings.Create(system)), $"{NotifierActor.Name}-proxy");
        ShardedDaemonProcess.Get(system).Init("partitions", Partitions.Count, partition => PartitionActor.Props(partition, node),
            PartitionActor.Stop.Instance);

        var signals = system.ActorOf(SignalListener.Props(view, view, settings.Checks, Console.Out), "signals");
        var reloader = system.ActorOf(ConfigReloader.Props(() =>
            {
                var next = slot.Take() ?? ConfigLoader.Load(file);
                node.Settings = next;
                return next;
            }, settings, new ConfigReloader.Targets(node.Agent, node.Agent, node.Agent, node.Agent, node.Agent, signals)), "reloader");
        node.Agent.Tell(reloader);
        var clusterReloader = system.ActorOf(ClusterReloader.Props(reloader, settings.Source), "cluster-reloader");
        relays.Signals.Attach(() => signals.Tell(SignalListener.DumpRequested.Instance),
            () => clusterReloader.Tell(ConfigReloader.ReloadRequested.Instance));
        var reader = StatusReader.OfCluster(reloader, view);
        var holds = system.ActorOf(ClusterHolds.Props(node.Database, view), "holds");
        relays.Operations.Start(system, node.Agent, reader, node.Load);
        relays.Control.Start(
        [
            new StatusHandler(reader),
            new RunNowHandler(view),
            new ReloadHandler(clusterReloader),
            new SilenceAddHandler(holds),
            new SilenceListHandler(holds),
            new SilenceExpireHandler(holds),
            new AckHandler(holds),
        ], relays.Log);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-control", async () =>
        {
            await relays.Operations.StoppingAsync();
            await relays.Control.DisposeAsync();
            return Done.Instance;
        });
    }
}
