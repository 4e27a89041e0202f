using Akka.Actor;
using Picomon.Configuration;
using Picomon.Metrics;
using Picomon.Notifications;
using Picomon.State;

namespace Picomon.Actors;

/// <summary>Starts and reconfigures each channel's sender for the <see cref="Notifier"/>; tests put probes in its place.</summary>
public interface IChannelSenders
{
    /// <summary>The sender of <paramref name="channel"/>: a child of <paramref name="context"/>, or an actor that already
    /// exists (the daemon's own mailer for the <c>email</c> channel).</summary>
    IActorRef Start(IUntypedActorContext context, ChannelSettings channel, PicomonSettings settings);

    /// <summary>The message that gives a running sender its channel's new settings (a reload).</summary>
    object Reconfigure(ChannelSettings channel, PicomonSettings settings);
}

/// <summary>The senders the daemon runs: a <see cref="Mailer"/> per mail channel, each with its own outbox and SMTP
/// connection (the <c>email</c> channel's is the daemon's mailer, which also sends reports and the stopped mail), and a
/// <see cref="ChannelSender"/> per webhook or exec channel.</summary>
public sealed class ChannelSenders(IStateStore store, NotificationCounters counters, IActorRef emailMailer) : IChannelSenders
{
    private int _started;

    public IActorRef Start(IUntypedActorContext context, ChannelSettings channel, PicomonSettings settings) => channel switch
    {
        MailChannelSettings { Name: NotifySettings.ImplicitChannel } => emailMailer,
        MailChannelSettings mail => context.ActorOf(Mailer.Props(settings.Emails, store.MailOutbox(mail.Name), counters, mail.Name), Name(mail)),
        _ => context.ActorOf(ChannelSender.Props(channel.Name, store.DeliveryOutbox(channel.Name), Transport(channel),
            settings.Notify.RetryTimeout, counters), Name(channel)),
    };

    public object Reconfigure(ChannelSettings channel, PicomonSettings settings) => channel is MailChannelSettings
        ? new Mailer.UpdateSettings(settings.Emails)
        : new ChannelSender.Reconfigure(Transport(channel), settings.Notify.RetryTimeout);

    // Numbered: a channel removed by a reload and added back by the next may still be stopping under its old name.
    private string Name(ChannelSettings channel) => $"{channel.TypeName}-{channel.Name}-{++_started}";

    private static IDeliveryTransport Transport(ChannelSettings channel) => channel switch
    {
        WebhookChannelSettings webhook => new WebhookTransport(webhook),
        ExecChannelSettings exec => new ExecTransport(exec),
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel.TypeName, "a mail channel has no delivery transport"),
    };
}
