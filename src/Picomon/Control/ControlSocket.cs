using System.Net.Sockets;

namespace Picomon.Control;

/// <summary>Creates the listening control socket <c>STATE-DIR/control.sock</c> with mode 0600 from the moment
/// it exists under that name: it is bound inside a fresh directory of mode 0700 (where nobody else can reach
/// it, whatever the umask gives the socket), set to 0600 there, then renamed into place. The rename is atomic
/// and replaces a stale socket left by a killed daemon. The umask is never touched: it is the whole process's,
/// and other threads may be creating files meanwhile.</summary>
public static class ControlSocket
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Binds and listens on the socket of <paramref name="stateDir"/>, which must exist.</summary>
    /// <exception cref="ControlSocketException">Another daemon answers there, or the socket cannot be created.</exception>
    public static Socket Listen(string stateDir)
    {
        // Picomon runs on Linux; this only satisfies the platform analyzer.
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the control socket needs a Unix system");
        var path = ControlProtocol.SocketPath(stateDir);
        if (Answers(path)) throw new ControlSocketException($"another picomon answers on {path}");
        var staging = Path.Combine(Path.GetDirectoryName(path)!, $".control-{Path.GetRandomFileName()}");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            Directory.CreateDirectory(staging, OwnerOnly | UnixFileMode.UserExecute);
            var bound = Path.Combine(staging, "s");
            socket.Bind(new UnixDomainSocketEndPoint(bound));
            File.SetUnixFileMode(bound, OwnerOnly);
            File.Move(bound, path, overwrite: true);
            socket.Listen(16);
            return socket;
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            socket.Dispose();
            var reason = e is ArgumentOutOfRangeException ? "the path is too long for a socket (108 bytes at most)" : e.Message;
            throw new ControlSocketException($"cannot create control socket {path}: {reason}");
        }
        finally
        {
            try { Directory.Delete(staging, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* never created, or already gone */ }
        }
    }

    /// <summary>Whether a live process accepts connections on <paramref name="path"/> (a stale socket refuses them).</summary>
    public static bool Answers(string path)
    {
        if (!File.Exists(path)) return false;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>The control socket cannot be created; the message names the path and the reason.</summary>
public sealed class ControlSocketException(string message) : Exception(message);
