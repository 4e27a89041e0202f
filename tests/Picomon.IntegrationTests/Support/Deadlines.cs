namespace Picomon.IntegrationTests.Support;

/// <summary>How long the integration tests wait for what a correct picomon does in a second or two: long
/// enough that a machine busy with other work never makes a correct run miss it, so that a timeout always
/// means something is wrong. A deadline is only ever waited for in full when a test fails.</summary>
public static class Deadlines
{
    /// <summary>An event: a request to a target, a mail, a log line, a state dump, the end of a run.</summary>
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(60);
}
