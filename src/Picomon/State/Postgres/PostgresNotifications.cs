using System.Text.Json;
using Npgsql;
using Picomon.Notifications;

namespace Picomon.State.Postgres;

/// <summary>The notifier's tables in PostgreSQL, as in SQLite: <c>pending</c> (notifications waiting for the notifier,
/// queued by every partition), <c>threads</c> (the message that announced each open incident on each channel),
/// <c>reminders</c>; and one commit of the notifier (<see cref="Apply"/>), with the messages it puts in the channels'
/// outboxes. Each call runs in the caller's (fenced) transaction.</summary>
internal static class PostgresNotifications
{
    /// <summary>Queues <paramref name="notifications"/> as pending, in order; returns them with their places.</summary>
    public static IReadOnlyList<PendingNotification> Queue(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<Notification> notifications) =>
        notifications.Select(notification => new PendingNotification((long)PostgresSchema.Scalar(connection, transaction,
            "INSERT INTO pending (notification) VALUES (@n) RETURNING seq",
            ("n", JsonSerializer.Serialize(notification, NotificationTables.Json)))!, notification)).ToList();

    public static IReadOnlyList<PendingNotification> ReadPending(NpgsqlConnection connection)
    {
        using var command = PostgresSchema.Command(connection, null, "SELECT seq, notification FROM pending ORDER BY seq");
        using var row = command.ExecuteReader();
        var pending = new List<PendingNotification>();
        while (row.Read())
            pending.Add(new PendingNotification(row.GetInt64(0), JsonSerializer.Deserialize<Notification>(row.GetString(1), NotificationTables.Json)
                                                                ?? throw new InvalidDataException("a pending notification is null")));
        return pending;
    }

    public static IReadOnlyList<ScheduledReminder> ReadReminders(NpgsqlConnection connection)
    {
        using var command = PostgresSchema.Command(connection, null, "SELECT incident, check_id, due FROM reminders");
        using var row = command.ExecuteReader();
        var reminders = new List<ScheduledReminder>();
        while (row.Read()) reminders.Add(new ScheduledReminder(row.GetString(0), row.GetString(1), PostgresSchema.ReadTime(row, 2)));
        return reminders;
    }

    /// <summary>One commit of the notifier: releases, then queues, messages, announces, schedules, and closes last (an
    /// incident announced and closed in one commit ends closed). Returns what it queued as pending.</summary>
    public static IReadOnlyList<PendingNotification> Apply(NpgsqlConnection connection, NpgsqlTransaction transaction, NotificationChanges changes)
    {
        if (changes.Released.Count > 0)
            PostgresSchema.Execute(connection, transaction, "DELETE FROM pending WHERE seq = ANY(@seqs)", ("seqs", changes.Released.ToArray()));
        var queued = Queue(connection, transaction, changes.Queued);
        foreach (var (channel, mail) in changes.Mails) PostgresOutbox.Insert(connection, transaction, channel, mail, "queued", null);
        foreach (var (channel, delivery) in changes.Deliveries) PostgresDeliveryOutbox.Insert(connection, transaction, channel, delivery, "queued", null);
        foreach (var (channel, incident, check, messageId) in changes.Announced)
            PostgresSchema.Execute(connection, transaction,
                """
                INSERT INTO threads (channel, incident, check_id, message_id) VALUES (@c, @i, @check, @m)
                ON CONFLICT (channel, incident) DO UPDATE SET check_id = excluded.check_id, message_id = excluded.message_id
                """, ("c", channel), ("i", incident), ("check", check), ("m", messageId));
        foreach (var reminder in changes.Scheduled)
            PostgresSchema.Execute(connection, transaction,
                """
                INSERT INTO reminders (incident, check_id, due) VALUES (@i, @check, @due)
                ON CONFLICT (incident) DO UPDATE SET check_id = excluded.check_id, due = excluded.due
                """, ("i", reminder.Incident), ("check", reminder.CheckId), ("due", PostgresSchema.Time(reminder.Due)));
        if (changes.Unscheduled.Count > 0)
            PostgresSchema.Execute(connection, transaction, "DELETE FROM reminders WHERE incident = ANY(@i)", ("i", changes.Unscheduled.ToArray()));
        if (changes.Closed.Count > 0)
        {
            var closed = changes.Closed.ToArray();
            PostgresSchema.Execute(connection, transaction, "DELETE FROM reminders WHERE incident = ANY(@i)", ("i", closed));
            PostgresSchema.Execute(connection, transaction, "DELETE FROM threads WHERE incident = ANY(@i)", ("i", closed));
        }
        return queued;
    }

    /// <summary>Forgets the threads and reminders of checks not in <paramref name="keep"/>.</summary>
    public static int ForgetChecksExcept(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] keep) =>
        PostgresSchema.Execute(connection, transaction, "DELETE FROM reminders WHERE NOT (check_id = ANY(@keep))", ("keep", keep))
        + PostgresSchema.Execute(connection, transaction, "DELETE FROM threads WHERE NOT (check_id = ANY(@keep))", ("keep", keep));
}
