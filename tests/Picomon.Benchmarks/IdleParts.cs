using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Picomon.Actors;
using Picomon.Scheduling;
using Picomon.State;

namespace Picomon.Benchmarks;

/// <summary>What each part of the daemon costs when idle: this program started as a child
/// (<c>Picomon.Benchmarks idle-part LEVEL</c>) with the parts up to LEVEL, each level adding one to the one
/// before — the runtime alone, an Akka <c>ActorSystem</c> (Picomon's scheduler and mailbox), the generic host
/// with Akka.Hosting around it, Picomon's SQLite store opened, MailKit and MimeKit loaded (a message written,
/// an SMTP client made) — then the published daemon with 10 checks. RSS and CPU of each, read from /proc after
/// it settled; each part's cost is its row minus the row above.</summary>
public sealed class IdleParts(string picomon, string dir, Results results, bool quick)
{
    private static readonly string[] Levels = ["runtime", "akka", "hosting", "sqlite", "mailkit"];

    private static readonly Dictionary<string, string> Names = new()
    {
        ["runtime"] = "the .NET runtime alone",
        ["akka"] = "+ Akka ActorSystem",
        ["hosting"] = "+ generic host, Akka.Hosting",
        ["sqlite"] = "+ SQLite store opened",
        ["mailkit"] = "+ MailKit/MimeKit loaded",
    };

    public async Task RunAsync(Listener target)
    {
        double? previous = null;
        foreach (var level in Levels)
            previous = await MeasureAsync(Environment.ProcessPath!, ["idle-part", level, dir], $"Idle parts: {Names[level]}", previous);
        var config = Configs.Write(dir, "idle-parts", TimeSpan.FromSeconds(60), [new(10, "tcp4", target.Port)]);
        await MeasureAsync(picomon, ["-c", config], "Idle parts: picomon daemon, 10 checks", previous);
    }

    private async Task<double> MeasureAsync(string program, string[] args, string name, double? previous)
    {
        using var child = PicomonBinary.Start(program, args);
        _ = child.StandardError.ReadToEndAsync();
        var ready = program == picomon ? "" : (await child.StandardOutput.ReadLineAsync())?.Replace("READY ", "; ") ?? "no READY line";
        if (program == picomon) _ = child.StandardOutput.ReadToEndAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(quick ? 3 : 10)); // start-up, first runs, the JIT's background work
            var (cpu, rss) = await ProcStat.MeasureAsync(child.Id, TimeSpan.FromSeconds(quick ? 10 : 30));
            var added = previous is { } p ? $"{rss - p:+0.0;-0.0} MB over the row above" : "";
            results.Add(new Row(name, $"{rss:0.0} MB RSS, {cpu:0.00}% CPU", "", null, $"{added}{ready}".Trim(' ', ';')));
            return rss;
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
    }

    /// <summary>The child: builds the parts up to <paramref name="level"/>, prints <c>READY</c> and the number of
    /// assemblies loaded, then idles until killed. Each part is a method of its own, so that what a level does
    /// not use is never compiled and its assemblies never loaded.</summary>
    public static async Task<int> ChildAsync(string level, string dir)
    {
        var depth = Array.IndexOf(Levels, level);
        if (depth < 0) return 2;
        var keep = new List<object>();
        if (depth == 1) keep.Add(StartActorSystem());
        if (depth >= 2) keep.Add(await StartHostAsync());
        if (depth >= 3) keep.Add(OpenStore(dir));
        if (depth >= 4) LoadMail();
        Console.WriteLine($"READY {AppDomain.CurrentDomain.GetAssemblies().Length} assemblies loaded");
        await Task.Delay(Timeout.Infinite);
        GC.KeepAlive(keep);
        return 0;
    }

    private static readonly string AkkaHocon = $"""
        {TimerQueueScheduler.Hocon}
        {LeanMailbox.Hocon}
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object StartActorSystem() => ActorSystem.Create("picomon", ConfigurationFactory.ParseString(AkkaHocon));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<object> StartHostAsync()
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAkka("picomon", akka => akka.AddHocon(ConfigurationFactory.ParseString(AkkaHocon), HoconAddMode.Prepend));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object OpenStore(string dir) =>
        SqliteStateStore.Open(Path.Combine(dir, "idle-parts-state"), Console.Error.WriteLine, Console.Error.WriteLine);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LoadMail()
    {
        var message = new MimeKit.MimeMessage(
            [MimeKit.MailboxAddress.Parse("picomon@example.org")], [MimeKit.MailboxAddress.Parse("ops@example.org")],
            "warm-up", new MimeKit.TextPart("plain") { Text = "warm-up\n" });
        message.WriteTo(MimeKit.FormatOptions.Default, Stream.Null);
        using var client = new MailKit.Net.Smtp.SmtpClient();
    }
}
