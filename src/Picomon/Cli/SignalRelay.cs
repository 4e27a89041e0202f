using System.Runtime.InteropServices;

namespace Picomon.Cli;

/// <summary>The daemon's POSIX signal handlers, registered first thing at start so that a SIGUSR1 or
/// SIGHUP arriving before the actors exist does not kill the process (their default action). A signal
/// that arrives before <see cref="Attach"/> is kept (many count as one) and handed on when the actors
/// are there; from then on each handler only hands its signal on (an actor <c>Tell</c>).</summary>
/// <remarks>A process started under <c>nohup</c> (or by a supervisor that does the same) inherits SIGHUP
/// as ignored, and the runtime then never delivers it, so a reload by SIGHUP would silently do nothing:
/// the inherited "ignore" is reset first. Picomon handles both signals, so the reason for ignoring
/// them — not dying — holds anyway.</remarks>
public sealed class SignalRelay : IDisposable
{
    /// <summary>SIGUSR1 on Linux; .NET names only the portable signals.</summary>
    public const PosixSignal SigUsr1 = (PosixSignal)10;

    private const int SigHupNumber = 1, SigUsr1Number = 10;

    private readonly Lock _gate = new();
    private readonly PosixSignalRegistration[] _registrations;
    private Action? _onUsr1, _onHup;
    private bool _usr1Pending, _hupPending;

    public SignalRelay()
    {
        if (!OperatingSystem.IsWindows())
            foreach (var signal in new[] { SigHupNumber, SigUsr1Number })
                ResetToDefault(signal);
        _registrations =
        [
            PosixSignalRegistration.Create(SigUsr1, context => Relay(context, usr1: true)),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => Relay(context, usr1: false)),
        ];
    }

    /// <summary>Where SIGUSR1 (state dump) and SIGHUP (reload) go from now on; a signal that came before is
    /// handed on now.</summary>
    public void Attach(Action onUsr1, Action onHup)
    {
        bool usr1, hup;
        lock (_gate)
        {
            (_onUsr1, _onHup) = (onUsr1, onHup);
            (usr1, hup) = (_usr1Pending, _hupPending);
            (_usr1Pending, _hupPending) = (false, false);
        }
        if (usr1) onUsr1();
        if (hup) onHup();
    }

    private void Relay(PosixSignalContext context, bool usr1)
    {
        context.Cancel = true;
        Action? target;
        lock (_gate)
        {
            target = usr1 ? _onUsr1 : _onHup;
            if (target is null)
            {
                if (usr1) _usr1Pending = true;
                else _hupPending = true;
            }
        }
        target?.Invoke();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }

    private static void ResetToDefault(int signal) => _ = NativeSignal(signal, IntPtr.Zero /* SIG_DFL */);

    // DllImport rather than LibraryImport: the source-generated form needs AllowUnsafeBlocks.
    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr NativeSignal(int signal, IntPtr handler);
}
