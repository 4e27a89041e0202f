using System.CommandLine;
using System.Globalization;
using Picomon.Configuration;
using Picomon.Configuration.Hocon;
using Picomon.Control;

namespace Picomon.Cli;

/// <summary><c>picomon silence add|list|expire</c> and <c>picomon ack</c>: they change what the running
/// daemon holds, through its control socket, and exit as <see cref="ControlCommands"/> do (1 when the silence or the
/// open incident named does not exist).</summary>
public static class HoldCommands
{
    /// <summary><c>picomon silence add PATTERN... --for DURATION [--comment TEXT]</c>, <c>list</c>, <c>expire ID</c>.</summary>
    public static Command Silence(SubcommandContext context)
    {
        var command = new Command("silence", "hold the notifications of matching checks for a while (add, list, expire)");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Expire(context));
        return command;
    }

    private static Command Add(SubcommandContext context)
    {
        var patterns = Subcommands.PatternArgument("check ids or globs ('http4/*') to silence");
        patterns.Arity = ArgumentArity.OneOrMore;
        var length = new Option<string>("--for") { Description = "how long: a duration (30m, 2h, 1d; a bare number is seconds)", HelpName = "DURATION", Required = true };
        length.Validators.Add(result =>
        {
            if (Duration(result.GetValueOrDefault<string>() ?? "") is null)
                result.AddError($"--for: '{result.GetValueOrDefault<string>()}' is not a positive duration (30m, 2h, 1d)");
        });
        var comment = new Option<string>("--comment") { Description = "why, for 'silence list'", HelpName = "TEXT" };
        var command = new Command("add", "silence the matching checks now, for DURATION; prints the silence's id") { context.Config, patterns, length, comment };
        command.SetAction((parsed, cancel) => ControlCommands.RunAsync(context, parsed, async stateDir =>
        {
            var args = new SilenceAddArgs
            {
                Patterns = parsed.GetValue(patterns) ?? [],
                Seconds = Duration(parsed.GetValue(length)!)!.Value.TotalSeconds,
                Comment = parsed.GetValue(comment) ?? "",
            };
            var text = await ControlClient.RequestAsync(stateDir, "silence-add", args, ControlJson.Default.SilenceAddArgs, cancel);
            await context.Stdout.WriteLineAsync(ControlClient.Read(text, ControlJson.Default.SilenceView, stateDir).Id);
            return App.Ok;
        }));
        return command;
    }

    private static Command List(SubcommandContext context)
    {
        var command = new Command("list", "the active silences: id, end, patterns, comment") { context.Config };
        command.SetAction((parsed, cancel) => ControlCommands.RunAsync(context, parsed, async stateDir =>
        {
            var text = await ControlClient.RequestAsync(stateDir, "silence-list", new NoArgs(), ControlJson.Default.NoArgs, cancel);
            var silences = ControlClient.Read(text, ControlJson.Default.SilenceListResult, stateDir).Silences;
            await context.Stdout.WriteAsync(Table(silences, TimeZoneInfo.Local));
            return App.Ok;
        }));
        return command;
    }

    private static Command Expire(SubcommandContext context)
    {
        var id = new Argument<string>("ID") { Description = "the silence's id, as 'silence add' printed it" };
        var command = new Command("expire", "end a silence now") { context.Config, id };
        command.SetAction((parsed, cancel) => ControlCommands.RunAsync(context, parsed, async stateDir =>
        {
            var args = new SilenceExpireArgs { Id = parsed.GetValue(id)! };
            var text = await ControlClient.RequestAsync(stateDir, "silence-expire", args, ControlJson.Default.SilenceExpireArgs, cancel);
            var result = ControlClient.Read(text, ControlJson.Default.SilenceExpireResult, stateDir);
            await (result.Found ? context.Stdout : context.Stderr).WriteLineAsync(result.Found
                ? $"picomon: silence {result.Id} expired" : $"picomon: no active silence '{result.Id}'");
            return result.Found ? App.Ok : App.ChecksFailed;
        }));
        return command;
    }

    /// <summary><c>picomon ack CHECK [--comment TEXT]</c>.</summary>
    public static Command Ack(SubcommandContext context)
    {
        var check = new Argument<string>("CHECK") { Description = "the id of a check in error" };
        var comment = new Option<string>("--comment") { Description = "who is on it, or why", HelpName = "TEXT" };
        var command = new Command("ack", "acknowledge a check's open incident: its reminders stop, its OK still goes out") { context.Config, check, comment };
        command.SetAction((parsed, cancel) => ControlCommands.RunAsync(context, parsed, async stateDir =>
        {
            var args = new AckArgs { Check = parsed.GetValue(check)!, Comment = parsed.GetValue(comment) ?? "" };
            var text = await ControlClient.RequestAsync(stateDir, "ack", args, ControlJson.Default.AckArgs, cancel);
            var result = ControlClient.Read(text, ControlJson.Default.AckResult, stateDir);
            if (result.Incident is null)
            {
                await context.Stderr.WriteLineAsync($"picomon: {result.Refusal}");
                return App.ChecksFailed;
            }
            await context.Stdout.WriteLineAsync($"picomon: acknowledged {result.Incident}");
            return App.Ok;
        }));
        return command;
    }

    /// <summary>A positive HOCON duration (<c>30m</c>, <c>2h</c>, <c>1d</c>; a bare number is seconds), or null.</summary>
    public static TimeSpan? Duration(string text)
    {
        var value = new HoconScalar(new SourceLocation("--for", 0), HoconScalarKind.String, text, quoted: true);
        return HoconConvert.ToDuration(value, out _) is { } length && length > TimeSpan.Zero ? length : null;
    }

    /// <summary>The silences as an aligned table, times in <paramref name="zone"/>; a line saying so when there are none.</summary>
    public static string Table(IReadOnlyList<SilenceView> silences, TimeZoneInfo zone)
    {
        if (silences.Count == 0) return "picomon: no active silence\n";
        var rows = silences.Select(s => new[]
        {
            s.Id, TimeZoneInfo.ConvertTime(s.Ends, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            string.Join(" ", s.Patterns), s.Comment,
        }).Prepend(["ID", "ENDS", "PATTERNS", "COMMENT"]).ToList();
        var widths = Enumerable.Range(0, 3).Select(i => rows.Max(r => r[i].Length)).ToList();
        return string.Concat(rows.Select(r =>
            string.Join("  ", r.Take(3).Select((cell, i) => cell.PadRight(widths[i]))) + "  " + r[3]).Select(line => line.TrimEnd() + "\n"));
    }
}
