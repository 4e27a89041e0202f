using System.Text;

namespace Picomon.Benchmarks;

/// <summary>HOCON files for the runs: N checks of one type against 127.0.0.1 (one host entry per check, so
/// ids are distinct), some of them pointed at a second port (the hanging listener). A group with a
/// <see cref="Group.UrlPrefix"/> becomes one group per check, each with its own URL (<c>/c0</c>, <c>/c1</c>…),
/// so that nginx's access log tells the checks apart.</summary>
public static class Configs
{
    /// <param name="groups">Each group: how many checks, their type, their port and more options (HOCON fields).</param>
    public static string Write(string dir, string name, TimeSpan baseTick, IEnumerable<Group> groups,
        string extra = "", string akka = "")
    {
        var hosts = new StringBuilder();
        var checks = new StringBuilder();
        var next = 0;
        foreach (var (count, type, port, options, urlPrefix) in groups.Where(g => g.Count > 0))
        {
            var keys = Enumerable.Range(next, count).Select(i => $"h{i}").ToList();
            next += count;
            foreach (var key in keys) hosts.Append($"    {key} {{ ipv4 = \"127.0.0.1\" }}\n");
            if (urlPrefix is null)
                checks.Append($"    {{ type = {type}, port = {port}, {options} hosts = [{string.Join(", ", keys)}] }}\n");
            else
                for (var i = 0; i < count; i++)
                    checks.Append($"    {{ type = {type}, port = {port}, url = \"{urlPrefix}{i}\", {options} hosts = [{keys[i]}] }}\n");
        }
        var path = Path.Combine(dir, name + ".conf");
        File.WriteAllText(path, $$"""
            picomon {
              base-tick = {{baseTick.TotalMilliseconds}}ms
              default-timeout = 2s
              verb-level = WARNING
              state-dir = "{{dir}}/state-{{name}}"
              {{extra}}
              hosts {
            {{hosts}}  }
              checks = [
            {{checks}}  ]
            }
            {{akka}}
            """);
        return path;
    }
}

/// <summary>A check group of <see cref="Configs.Write"/>; with <paramref name="UrlPrefix"/> (HTTP), check i asks
/// for PREFIX + i.</summary>
public sealed record Group(int Count, string Type, int Port, string Options = "", string? UrlPrefix = null);
