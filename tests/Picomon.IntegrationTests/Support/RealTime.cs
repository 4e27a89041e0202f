namespace Picomon.IntegrationTests.Support;

/// <summary>The tests that run picomon and real servers in real time, one at a time: on a busy machine, each
/// test's daemon, servers and deadlines then compete only with the rest of the machine, not with each other.
/// They wait for events (a request, a mail, a log line) with generous deadlines and assert no duration.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTime
{
    public const string Name = "real time";
}
