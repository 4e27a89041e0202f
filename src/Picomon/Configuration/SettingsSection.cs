using Picomon.Configuration.Hocon;

namespace Picomon.Configuration;

/// <summary>One object of the merged <c>picomon { }</c> tree beside the same object of the embedded reference.conf,
/// which is the only place a default is written. The operator's file is merged over reference.conf, so every key
/// is present (a missing one is a bug of Picomon, not a mistake of the operator). A wrong value is recorded with
/// its file, line and key path and reads as the reference value, so that reading goes on and every problem is
/// reported.</summary>
internal sealed class SettingsSection
{
    /// <summary>Converts a value, or records why it cannot and returns null.</summary>
    public delegate T? Reader<T>(HoconValue value, string path, ErrorList errors);

    private readonly HoconObject _reference;
    private readonly ErrorList _errors;

    public SettingsSection(HoconObject merged, HoconObject reference, string path, ErrorList errors)
    {
        (Merged, _reference, Path, _errors) = (merged, reference, path, errors);
    }

    /// <summary>This section as read: the operator's values over the reference ones.</summary>
    public HoconObject Merged { get; }

    /// <summary>The key path of this section (<c>picomon.emails</c>).</summary>
    public string Path { get; }

    /// <summary>The value of <paramref name="key"/>, which reference.conf defines.</summary>
    public HoconValue this[string key] => Merged[key] ?? throw Undefined(key);

    public T Read<T>(string key, Reader<T> read) where T : class =>
        read(this[key], KeyPath(key), _errors) ?? FromReference(key, read) ?? throw Invalid(key);

    public T ReadValue<T>(string key, Reader<T?> read) where T : struct =>
        read(this[key], KeyPath(key), _errors) ?? FromReference(key, read) ?? throw Invalid(key);

    /// <summary>The object under <paramref name="key"/>; the reference one when the operator gave something else.</summary>
    public SettingsSection Section(string key)
    {
        var reference = Reference(key) as HoconObject ?? throw Invalid(key);
        return new SettingsSection(_errors.Object(this[key], KeyPath(key)) ?? reference, reference, KeyPath(key), _errors);
    }

    public string KeyPath(string key) => ErrorList.Join(Path, key);

    private HoconValue Reference(string key) => _reference[key] ?? throw Undefined(key);

    /// <summary>The reference value of <paramref name="key"/>, which must read without an error.</summary>
    private TResult? FromReference<TResult>(string key, Reader<TResult> read)
    {
        var errors = new ErrorList();
        var value = read(Reference(key), KeyPath(key), errors);
        return errors.Errors.Count == 0 ? value : throw Invalid(key, errors.Errors[0].Message);
    }

    private InvalidOperationException Undefined(string key) => new($"reference.conf does not define {KeyPath(key)}");

    private InvalidOperationException Invalid(string key, string? why = null) =>
        new($"reference.conf: {KeyPath(key)} is not valid{(why is null ? "" : $": {why}")}");
}
