using Microsoft.Extensions.Logging;

namespace Picomon.Logging;

/// <summary>The log sink: one line per event on stderr,
/// <c>2026-11-24 10:02:03,123 LEVEL: message</c>, at or above the configured level. Akka's own
/// logging is routed here too, by Picomon's own Akka logger (<see cref="AkkaLogBridge"/>), not Akka.Hosting's.</summary>
public sealed class LineLoggerProvider(LogLevel minimum, TextWriter output, TimeProvider clock) : ILoggerProvider
{
    private readonly Lock _gate = new();

    private LogLevel Minimum => minimum;

    public ILogger CreateLogger(string categoryName) => new LineLogger(this);

    public void Dispose() => output.Flush();

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Critical => "CRITICAL",
        LogLevel.Error => "ERROR",
        LogLevel.Warning => "WARNING",
        LogLevel.Information => "INFO",
        _ => "DEBUG",
    };

    private void Write(LogLevel level, string message, Exception? exception)
    {
        var now = clock.GetLocalNow();
        // Exceptions are summarised on the same line: a stack trace is for developers, not the log.
        var text = exception is null ? message : $"{message} ({exception.GetType().Name}: {exception.Message})";
        lock (_gate)
        {
            output.Write($"{now:yyyy-MM-dd HH:mm:ss},{now:fff} {LevelName(level)}: {text}\n");
            output.Flush();
        }
    }

    private sealed class LineLogger(LineLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) provider.Write(logLevel, formatter(state, exception), exception);
        }
    }
}
