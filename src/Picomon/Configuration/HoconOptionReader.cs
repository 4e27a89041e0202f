using Picomon.Configuration.Hocon;
using Picomon.Probes;

namespace Picomon.Configuration;

/// <summary>Reads one check group's options for one check type (<see cref="CheckType.ReadOptions"/>), recording
/// each problem with its file, line and key path; a missing required option is reported at the group.</summary>
internal sealed class HoconOptionReader(HoconObject group, string path, CheckType type, ErrorList errors) : OptionReader
{
    protected override string? RawText(string name) => errors.Text(group[name], Path(name));

    protected override long? RawInteger(string name, bool required) => errors.Integer(Present(name, required), Path(name));

    protected override bool? RawBoolean(string name) =>
        errors.ReadValue(group[name], Path(name), v => (HoconConvert.ToBoolean(v, out var e), e));

    protected override IReadOnlyList<string>? RawTextList(string name, bool required) =>
        errors.TextList(Present(name, required), Path(name));

    protected override void Reject(string name, string problem) => errors.Add(group[name]!, Path(name), problem);

    private HoconValue? Present(string name, bool required)
    {
        var value = group[name];
        if (value is null && required) errors.Add(group, path, $"check type {type.Name} requires option '{name}'");
        return value;
    }

    private string Path(string name) => $"{path}.{name}";
}
