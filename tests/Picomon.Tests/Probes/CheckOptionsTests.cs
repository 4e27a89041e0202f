using System.Text.RegularExpressions;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

/// <summary>Options records compare by value, regexes and lists included, so a reload keeps an unchanged check.</summary>
public class CheckOptionsTests
{
    [Fact]
    public void Patterns_are_equal_when_written_the_same_and_match_line_by_line()
    {
        Assert.Equal(new Pattern("^SSH-"), new Pattern("^SSH-"));
        Assert.Equal(new Pattern("^SSH-").GetHashCode(), new Pattern("^SSH-").GetHashCode());
        Assert.NotEqual(new Pattern("^SSH-"), new Pattern("^SSH-2"));
        Assert.Matches(new Pattern("^PONG$").Regex, "+OK\nPONG\n");
        Assert.Equal(RegexOptions.CultureInvariant | RegexOptions.Multiline, new Pattern("x").Regex.Options);
    }

    [Fact]
    public void Value_lists_are_equal_when_their_elements_are()
    {
        Assert.Equal(new ValueList<string>(["check_dummy", "0"]), new ValueList<string>(["check_dummy", "0"]));
        Assert.Equal(new ValueList<string>(["a", "b"]).GetHashCode(), new ValueList<string>(["a", "b"]).GetHashCode());
        Assert.NotEqual(new ValueList<string>(["check_dummy", "0"]), new ValueList<string>(["check_dummy", "0", "-v"]));
        Assert.NotEqual(new ValueList<string>(["a", "b"]), new ValueList<string>(["b", "a"]));
    }

    [Fact]
    public void Options_with_a_regex_and_a_command_are_equal_when_read_from_the_same_values()
    {
        var exec = CheckTypes.Find("exec")!;
        Assert.Equal(OptionValues.Read(exec, ("command", new[] { "/bin/echo", "ok" }), ("pattern", "^ok$")),
                     OptionValues.Read(exec, ("command", new[] { "/bin/echo", "ok" }), ("pattern", "^ok$")));
        Assert.NotEqual(OptionValues.Read(exec, ("command", new[] { "/bin/echo", "ok" }), ("pattern", "^ok$")),
                        OptionValues.Read(exec, ("command", new[] { "/bin/echo", "ok" }), ("pattern", "^OK$")));
        Assert.NotEqual(OptionValues.Read(exec, ("command", new[] { "/bin/echo", "ok" })),
                        OptionValues.Read(exec, ("command", new[] { "/bin/echo", "OK" })));
        var tcp = CheckTypes.Find("tcp4")!;
        Assert.Equal(OptionValues.Read(tcp, ("port", 22), ("expect", "^SSH-")), new TcpOptions(22, null, new Pattern("^SSH-")));
        Assert.NotEqual<CheckOptions>(new TcpOptions(22, null, null), new JabberOptions(22));
    }

    [Fact]
    public void Every_registered_type_lists_the_options_its_record_reads()
    {
        Assert.Equal(
            [
                "ping4:", "ping6:",
                "http4: status vhost string url port", "http6: status vhost string url port",
                "https4: status vhost string url port cert-min-days", "https6: status vhost string url port cert-min-days",
                "smtp4: from-addr command response port", "smtp6: from-addr command response port",
                "dns-rec4: query record port", "dns-rec6: query record port",
                "dns-zone: ip-version resolver",
                "openvpn4: port", "openvpn6: port", "jabber4: port", "jabber6: port",
                "tcp4: port send expect", "tcp6: port send expect",
                "plugin: command warning-ok", "exec: command pattern",
            ],
            CheckTypes.All.Select(t => $"{t.Name}:{string.Concat(t.OptionNames.Select(n => " " + n))}"));
    }
}
