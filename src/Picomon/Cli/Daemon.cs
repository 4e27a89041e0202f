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
using Picomon.Configuration;
using Picomon.Logging;
using Picomon.Mail;
using Picomon.Scheduling;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace Picomon.Cli;

/// <summary>The long-running daemon: the actor system in the .NET generic host (Akka.Hosting),
/// logging in the SPEC §9 format, SIGTERM/SIGINT through CoordinatedShutdown (exit 0).</summary>
public static class Daemon
{
    public static async Task<int> RunAsync(PicomonSettings settings, bool debug)
    {
        var level = debug ? LogLevel.Debug : settings.VerbLevel;
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new LineLoggerProvider(level, Console.Error, TimeProvider.System));
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
            akka.WithActors((system, registry) => StartActors(system, registry, settings));
        });
        using var host = builder.Build();
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("picomon");
        log.LogInformation("Picomon {Version} starting: config {Source}, {Count} checks, base tick {Tick}",
            App.Version, settings.Source, settings.Checks.Count, ConfigSummary.Format(settings.BaseTick));
        await host.RunAsync();
        log.LogInformation("Picomon stopped");
        return App.Ok;
    }

    private static void StartActors(ActorSystem system, IActorRegistry registry, PicomonSettings settings)
    {
        var composer = new MailComposer(ConfigLoader.Fqdn.Value);
        var mailer = system.ActorOf(Mailer.Props(settings.Emails, new MemoryOutbox()), "mailer");
        var aggregator = system.ActorOf(StateAggregator.Props(mailer,
            new StateAggregator.Alerting(composer, settings.Emails, settings.BaseTick)), "state");
        var checks = system.ActorOf(
            ChecksSupervisor.Props(settings.Checks, c => c.Type.CreateProbe(c.Options), aggregator, settings.BaseTick),
            "checks");
        system.ActorOf(Reporter.Props(aggregator, mailer, composer, settings.Emails, settings.Checks), "reporter");
        system.ActorOf(SignalListener.Props(aggregator, checks, settings.Checks, Console.Out), "signals");
        registry.Register<StateAggregator>(aggregator);
        registry.Register<ChecksSupervisor>(checks);
        registry.Register<Mailer>(mailer);

        var shutdown = CoordinatedShutdown.Get(system);
        // SPEC §7: stop starting new runs and let running ones finish or time out before the system goes.
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-checks", async () =>
        {
            await checks.Ask<ChecksSupervisor.ChecksStopped>(ChecksSupervisor.StopChecks.Instance, LongestRun(settings) + TimeSpan.FromSeconds(5));
            return Done.Instance;
        });
        // Then the stopped mail, and up to 10 s to deliver what is queued.
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "stopped-mail", async () =>
        {
            mailer.Tell(new Mailer.Send(composer.Stopped(settings.Emails, App.Ok, system.Scheduler.Now)));
            var flushed = await mailer.Ask<Mailer.Flushed>(new Mailer.Flush(FlushTime), FlushTime + TimeSpan.FromSeconds(2));
            if (flushed.Unsent > 0)
                system.Log.Warning("{0} mail(s) could not be delivered before exit", flushed.Unsent);
            return Done.Instance;
        });
    }

    private static readonly TimeSpan FlushTime = TimeSpan.FromSeconds(10);

    private static TimeSpan LongestRun(PicomonSettings settings) =>
        settings.Checks.Select(c => c.Timeout).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>Picomon's Akka defaults; an <c>akka { }</c> block in the user's file overrides them.</summary>
    private static Config BaseHocon(PicomonSettings settings)
    {
        var stopPhase = (int)Math.Ceiling((LongestRun(settings) + TimeSpan.FromSeconds(6)).TotalSeconds);
        var mailPhase = (int)Math.Ceiling((FlushTime + TimeSpan.FromSeconds(3)).TotalSeconds);
        return ConfigurationFactory.ParseString($"""
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters-during-shutdown = off
            akka.log-dead-letters = off
            akka.coordinated-shutdown.phases.before-service-unbind.timeout = {stopPhase}s
            akka.coordinated-shutdown.phases.service-stop.timeout = {mailPhase}s
            {TimerQueueScheduler.Hocon}
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
