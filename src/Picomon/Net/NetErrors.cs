using System.Net.Sockets;

namespace Picomon.Net;

/// <summary>Network errors as users read them, shared by the probes and the SMTP transport so that a refused
/// connection reads the same in a check's failure and in the Mailer's warning.</summary>
public static class NetErrors
{
    /// <summary>A short, human message for a network exception: "Connection refused",
    /// "No route to host", … (the text users see in mails, dumps and logs).</summary>
    public static string Describe(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "Connection refused",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "Connection reset by peer",
        SocketException { SocketErrorCode: SocketError.HostUnreachable } => "No route to host",
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable } => "Network is unreachable",
        SocketException { SocketErrorCode: SocketError.TimedOut } => "Connection timed out",
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } => "Name or service not known",
        SocketException s => s.Message,
        IOException { InnerException: SocketException inner } => Describe(inner),
        IOException io => io.Message,
        _ => e.Message,
    };
}
