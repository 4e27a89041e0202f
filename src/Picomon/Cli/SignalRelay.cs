using System.Runtime.InteropServices;

namespace Picomon.Cli;

/// <summary>The daemon's POSIX signal handlers, registered first thing at start so that a SIGUSR1 or
/// SIGHUP arriving before the actors exist is ignored instead of killing the process (their default
/// action). Once the actors are up, each handler only hands its signal on (an actor <c>Tell</c>).</summary>
public sealed class SignalRelay : IDisposable
{
    /// <summary>SIGUSR1 on Linux; .NET names only the portable signals.</summary>
    public const PosixSignal SigUsr1 = (PosixSignal)10;

    private readonly PosixSignalRegistration[] _registrations;
    private volatile Action? _onUsr1;
    private volatile Action? _onHup;

    public SignalRelay() =>
        _registrations =
        [
            PosixSignalRegistration.Create(SigUsr1, context => Relay(context, _onUsr1)),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => Relay(context, _onHup)),
        ];

    /// <summary>Where SIGUSR1 (state dump) and SIGHUP (reload) go from now on.</summary>
    public void Attach(Action onUsr1, Action onHup) => (_onUsr1, _onHup) = (onUsr1, onHup);

    private static void Relay(PosixSignalContext context, Action? target)
    {
        context.Cancel = true;
        target?.Invoke();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
