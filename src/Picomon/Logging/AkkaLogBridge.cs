using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Picomon.Logging;

/// <summary>Hands the logger the sink it writes to.</summary>
public sealed class AkkaLogBridgeSetup(ILogger sink) : Setup
{
    public ILogger Sink { get; } = sink;
}

/// <summary>Akka's logger: routes every Akka log event to Picomon's own sink, so actor logs come out in the
/// log line format (<c>DATE TIME,ms LEVEL: message</c>) like the rest, without Akka's bracketed prefix and
/// with ERROR kept as ERROR.</summary>
public sealed class AkkaLogBridge : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILogger _sink;

    public AkkaLogBridge() =>
        _sink = Context.System.Settings.Setup.Get<AkkaLogBridgeSetup>().Value?.Sink
                ?? throw new InvalidOperationException($"{nameof(AkkaLogBridgeSetup)} missing from the actor system setup");

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent log:
                var level = log.LogLevel() switch
                {
                    Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
                    Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
                    Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
                    _ => LogLevel.Error,
                };
                if (_sink.IsEnabled(level)) _sink.Log(level, log.Cause, "{Message}", log.Message.ToString());
                return true;
            default:
                return false;
        }
    }
}
