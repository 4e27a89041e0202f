using System.Net.Sockets;
using System.Runtime;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Control;
using Picomon.Http;
using Picomon.Logging;
using Picomon.Mail;
using Picomon.Notifications;
using Picomon.State;
using Picomon.Status;
using Picomon.Scheduling;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace Picomon.Cli;

/// <summary>The long-running daemon: the actor system in the .NET generic host (Akka.Hosting),
/// logging one line per event (<c>DATE TIME,ms LEVEL: message</c>), SIGTERM/SIGINT through CoordinatedShutdown (exit 0).</summary>
public static class Daemon
{
    public static async Task<int> RunAsync(PicomonSettings settings, bool debug)
    {
        PreferShortGcPauses();
        CompactStartGarbage();
        CompleteSocketsInline();
        var level = debug ? LogLevel.Debug : settings.VerbLevel;
        using var signals = new SignalRelay();
        var logs = new LineLoggerProvider(level, Console.Error, TimeProvider.System);
        var log = logs.CreateLogger("picomon");
        log.LogInformation("Picomon {Version} starting: config {Source}, {Count} checks, base tick {Tick}",
            App.Version, settings.Source, settings.Checks.Count, ConfigSummary.Format(settings.BaseTick));
        // A separate class, so that a single node never loads the cluster's assemblies (Akka.Cluster, Npgsql).
        if (settings.Cluster.Enabled) return await ClusterDaemon.RunAsync(settings, level, logs, log, signals);
        SqliteStateStore store;
        try
        {
            store = SqliteStateStore.Open(settings.StateDir, e => log.LogError("{Message}", e), i => log.LogInformation("{Message}", i));
        }
        catch (StateStoreException e)
        {
            await Console.Error.WriteLineAsync($"picomon: {e.Message}");
            return App.UsageOrConfigError;
        }
        // Disposed after the actor system has stopped: its last save happens then.
        using (store)
        {
            // After the store: its lock is what refuses a second daemon on the same state-dir.
            ControlServer control;
            try
            {
                control = ControlServer.Bind(settings.StateDir);
            }
            catch (ControlSocketException e)
            {
                await Console.Error.WriteLineAsync($"picomon: {e.Message}");
                return App.UsageOrConfigError;
            }
            await using var _ = control;
            var (listening, http) = await StartHttpAsync(settings, logs, log);
            if (!listening) return App.UsageOrConfigError;
            await using var __ = http;
            var operations = NewOperations(http, log);
            // Checks that left the configuration are forgotten; the others resume where they were.
            store.ForgetChecksExcept(settings.Checks.Select(c => c.Id).ToList());
            var restored = store.LoadChecks();
            log.LogInformation("State from {Path}: {Checks} checks ({Errors} in error), {Mails} mails queued",
                store.DatabasePath, restored.Count, restored.Count(r => r.Status == CheckStatus.Error), store.Outbox.Count);
            using var host = BuildHost(settings, level, logs,
                system => StartActors(system, settings, store, new Relays(signals, control, operations, log)));
            await host.RunAsync();
        }
        log.LogInformation("Picomon stopped");
        return App.Ok;
    }

    /// <summary>The HTTP front end when <c>http.listen</c> is set (null when not); not listening (the error printed)
    /// when the address cannot be bound.</summary>
    internal static async Task<(bool Listening, HttpFrontEnd? Http)> StartHttpAsync(PicomonSettings settings, LineLoggerProvider logs, ILogger log)
    {
        if (settings.Http.Listen is not { } listen) return (true, null);
        try
        {
            var http = await HttpFrontEnd.StartAsync(settings.Http, logs);
            log.LogInformation("HTTP: listening on {Address}", http.Address);
            return (true, http);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            await Console.Error.WriteLineAsync($"picomon: cannot listen on {listen} (http.listen): {e.Message}");
            return (false, null);
        }
    }

    internal static Operations NewOperations(HttpFrontEnd? http, ILogger log) =>
        new(http, SystemdNotify.FromEnvironment(Environment.GetEnvironmentVariable, Environment.ProcessId), log);

    /// <summary>A run starts late by as long as a blocking garbage collection lasts: measured with 100,000
    /// checks, a blocking (often compacting) gen2 collection of a 250–450 MB heap paused every thread for
    /// 0.3–1 s about once a minute. In this mode gen2 is collected in the background, and a blocking
    /// collection happens only if memory runs short.</summary>
    public static void PreferShortGcPauses() => GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;

    /// <summary>One blocking, compacting collection of the whole heap, the large objects' included, once the configuration
    /// is read and before anything runs. Reading a large configuration leaves its parse behind in gen2; the checks' actors,
    /// made next, were laid out between that garbage, and in <see cref="PreferShortGcPauses"/>'s mode gen2 is not compacted,
    /// so the gaps stayed for good. Measured (100,000 HTTP checks every 60 s, daemon child, RSS 2.5 minutes after start):
    /// 587 MB without, 436 MB with, for a pause of ~0.34 s before the first run (the same collection made once the checks
    /// ran: 1.4 s, and 865 runs more than 1 s late). With a few checks it takes milliseconds.</summary>
    public static void CompactStartGarbage()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>Socket completions run on the socket engine's own threads (one a core), not queued to the thread pool:
    /// a probe's steps after connect, send and receive are a few microseconds each, and the queueing cost a wake-up of
    /// a pool thread each (measured, 1,000 HTTP checks every 1 s: 3.2 context switches and ~220 µs of CPU a probe queued,
    /// 2.0 and ~200 µs inline; README "Performance"). Since the TCP-based probes moved to Picomon's own loop
    /// (<see cref="Net.SocketLoop"/>, Linux), this concerns the runtime's sockets that remain: DNS and OpenVPN probes,
    /// mail, webhooks, and the probes where there is no epoll. Safe only while no code blocks in a socket's continuation (it
    /// could wait for its own thread): the probes, MailKit, the webhooks' HttpClient and DnsClient use async calls only,
    /// Npgsql (cluster) is called synchronously from actors, never from a continuation, and Kestrel queues its own
    /// continuations. The runtime reads the switch once, when the first socket is registered, so this runs before any;
    /// a value already in the environment (<c>0</c> turns it off) is left alone.</summary>
    public static void CompleteSocketsInline()
    {
        const string name = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(name) is null) Environment.SetEnvironmentVariable(name, "1");
    }

    /// <param name="configure">More of the actor system's set-up (the cluster's), after Picomon's own.</param>
    internal static IHost BuildHost(PicomonSettings settings, LogLevel level, LineLoggerProvider logs, Action<ActorSystem> start,
        Action<AkkaConfigurationBuilder>? configure = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(level);
        // The host's own "Application started. Press Ctrl+C" chatter is not Picomon's to print.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddAkka("picomon", (akka, services) =>
        {
            akka.AddSetup(new AkkaLogBridgeSetup(services.GetRequiredService<ILoggerFactory>().CreateLogger("akka")));
            akka.AddHocon(BaseHocon(settings), HoconAddMode.Prepend);
            if (settings.AkkaHocon is not null)
                akka.AddHocon(ConfigurationFactory.ParseString(settings.AkkaHocon), HoconAddMode.Prepend);
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = ToAkka(level);
                loggers.ClearLoggers();
                loggers.AddLogger<AkkaLogBridge>();
            });
            configure?.Invoke(akka);
            akka.WithActors((system, _) => start(system));
        });
        return builder.Build();
    }

    /// <summary>What hands requests from outside to the actors: the signal handlers, the control socket, HTTP and systemd.</summary>
    internal sealed record Relays(SignalRelay Signals, ControlServer Control, Operations Operations, ILogger Log);

    private static void StartActors(ActorSystem system, PicomonSettings settings, IStateStore store, Relays relays)
    {
        var composer = new MailComposer(ConfigLoader.Fqdn.Value);
        var counters = relays.Operations.Notifications;
        var mailer = system.ActorOf(Mailer.Props(settings.Emails, store.Outbox, counters), "mailer");
        var notifier = system.ActorOf(Notifier.Props(settings, store, composer, new ChannelSenders(store, counters, mailer)), "notifier");
        var aggregator = system.ActorOf(StateAggregator.Props(store, notifier, counters), "state");
        aggregator.Tell(StateAggregator.Reconfigure.From(settings));
        var load = new LoadStats();
        var checks = system.ActorOf(ChecksSupervisor.Props(settings.Checks,
            relays.Operations.Probe(c => c.Type.CreateProbe(c.Options, App.Version)), aggregator, settings.BaseTick, load), "checks");
        aggregator.Tell(new StateAggregator.AttachChecks(checks));
        var reporter = system.ActorOf(Reporter.Props(aggregator, mailer, composer, settings.Emails, settings.Checks), "reporter");
        var signals = system.ActorOf(SignalListener.Props(aggregator, checks, settings.Checks, Console.Out), "signals");
        // The embedded default has no file to re-read: SIGHUP then reloads the same embedded text.
        var reloader = system.ActorOf(ConfigReloader.Props(() => ConfigLoader.Load(settings.Source == ConfigLoader.EmbeddedSource ? null : settings.Source),
            settings, new ConfigReloader.Targets(checks, aggregator, notifier, mailer, reporter, signals)), "reloader");
        relays.Signals.Attach(() => signals.Tell(SignalListener.DumpRequested.Instance), () => reloader.Tell(ConfigReloader.ReloadRequested.Instance));
        var reader = new StatusReader(reloader, aggregator);
        relays.Operations.Start(system, checks, reader, load);
        relays.Control.Start(
        [
            new StatusHandler(reader),
            new RunNowHandler(checks),
            new ReloadHandler(reloader),
            new SilenceAddHandler(aggregator),
            new SilenceListHandler(aggregator),
            new SilenceExpireHandler(aggregator),
            new AckHandler(aggregator),
        ], relays.Log);

        var shutdown = CoordinatedShutdown.Get(system);
        // First of all, nothing more is asked from outside (in parallel with stopping the checks).
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-control", async () =>
        {
            await relays.Operations.StoppingAsync();
            await relays.Control.DisposeAsync();
            return Done.Instance;
        });
        // A graceful stop: stop starting new runs and let running ones finish or time out before the system goes.
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-checks", async () =>
        {
            await checks.Ask<ChecksSupervisor.ChecksStopped>(ChecksSupervisor.StopChecks.Instance, LongestRun(settings) + TimeSpan.FromSeconds(5));
            return Done.Instance;
        });
        // Then what the grouping windows hold, the stopped mail, and up to 10 s to deliver what is queued, on every channel.
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "stopped-mail", async () =>
        {
            await notifier.Ask<Notifier.WindowsClosed>(Notifier.CloseWindows.Instance, FlushTime);
            mailer.Tell(new Mailer.Send(composer.Stopped(settings.Emails, App.Ok, system.Scheduler.Now)));
            var mails = mailer.Ask<Mailer.Flushed>(new Mailer.Flush(FlushTime), FlushTime + TimeSpan.FromSeconds(2));
            var channels = notifier.Ask<Notifier.Flushed>(new Notifier.Flush(FlushTime), FlushTime + TimeSpan.FromSeconds(4));
            if ((await mails).Unsent is > 0 and var unsentMails)
                system.Log.Warning("{0} mail(s) could not be delivered before exit", unsentMails);
            if ((await channels).Unsent is > 0 and var unsent)
                system.Log.Warning("{0} notification(s) could not be delivered before exit", unsent);
            return Done.Instance;
        });
    }

    private static readonly TimeSpan FlushTime = TimeSpan.FromSeconds(10);

    internal static TimeSpan LongestRun(PicomonSettings settings) =>
        settings.Checks.Select(c => c.Timeout).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>Whole seconds for the checks to stop gracefully: the longest run, and 6 s to write and hand over.</summary>
    internal static int StopSeconds(PicomonSettings settings) =>
        (int)Math.Ceiling((LongestRun(settings) + TimeSpan.FromSeconds(6)).TotalSeconds);

    /// <summary>Picomon's Akka defaults; an <c>akka { }</c> block in the user's file overrides them.</summary>
    private static Config BaseHocon(PicomonSettings settings)
    {
        var stopPhase = StopSeconds(settings);
        var mailPhase = (int)Math.Ceiling((FlushTime + TimeSpan.FromSeconds(3)).TotalSeconds);
        return ConfigurationFactory.ParseString($"""
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters-during-shutdown = off
            akka.log-dead-letters = off
            akka.coordinated-shutdown.phases.before-service-unbind.timeout = {stopPhase}s
            akka.coordinated-shutdown.phases.service-stop.timeout = {mailPhase}s
            {TimerQueueScheduler.Hocon}
            {LeanMailbox.Hocon}
            """);
    }

    private static AkkaLogLevel ToAkka(LogLevel level) => level switch
    {
        LogLevel.Debug or LogLevel.Trace => AkkaLogLevel.DebugLevel,
        LogLevel.Information => AkkaLogLevel.InfoLevel,
        LogLevel.Warning => AkkaLogLevel.WarningLevel,
        _ => AkkaLogLevel.ErrorLevel,
    };
}
