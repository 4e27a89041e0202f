namespace Picomon.Checks;

/// <summary>An incident is one error episode of a check: its Problem opens it, its OK closes it. Incidents
/// are numbered per check from 1 (the count lives in <see cref="CheckState.Incidents"/>, durably), so an
/// id names one episode for good, across restarts.</summary>
public static class Incident
{
    /// <summary>The durable id of the <paramref name="number"/>-th incident of a check: <c>http4/web#3</c>.</summary>
    public static string Id(string checkId, int number) => $"{checkId}#{number}";
}
