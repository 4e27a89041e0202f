using System.Net.Sockets;
using Picomon.Configuration;
using Picomon.Probes;

namespace Picomon.Tests.Support;

/// <summary>Check definitions for actor specs, built directly (no configuration file).</summary>
public static class ActorTestChecks
{
    public static readonly CheckType TestType =
        new("test", "CheckTest", TargetKind.Hosts, AddressFamily.InterNetwork, [], _ => new ControllableProbe());

    /// <param name="timeout">Real time (ProbeRunner's timeout is not virtual): long by default, so it never fires.</param>
    public static CheckDefinition Check(
        string id = "test/host", int every = 1, int errorEvery = 1, int retry = 1, TimeSpan? timeout = null) =>
        new(id, TestType, new ProbeTarget("host", "host", "127.0.0.1", AddressFamily.InterNetwork),
            every, errorEvery, retry, timeout ?? TimeSpan.FromMinutes(10), CheckOptions.Empty);
}
