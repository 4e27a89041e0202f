using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Picomon.Control;

/// <summary>A request the control socket answers, found by its <see cref="Command"/> name.</summary>
public interface IControlHandler
{
    string Command { get; }

    /// <summary>Runs the request; throws <see cref="ControlRequestException"/> for a request it refuses.</summary>
    Task<ControlResult> HandleAsync(JsonElement? args, CancellationToken cancel);
}

/// <summary>A command's result and how to write it.</summary>
public sealed record ControlResult(object Value, JsonTypeInfo TypeInfo);

/// <summary>A request the daemon refuses; <see cref="Exception.Message"/> is what the client is told.</summary>
public sealed class ControlRequestException(string message) : Exception(message);

/// <summary>A handler with typed arguments (absent arguments read as <c>{}</c>) and a typed result.</summary>
public abstract class ControlHandler<TArgs, TResult>(string command, JsonTypeInfo<TArgs> args, JsonTypeInfo<TResult> result)
    : IControlHandler where TResult : notnull
{
    private static readonly JsonElement NoArguments = JsonDocument.Parse("{}").RootElement;

    public string Command => command;

    public async Task<ControlResult> HandleAsync(JsonElement? json, CancellationToken cancel)
    {
        TArgs parsed;
        try
        {
            parsed = (json ?? NoArguments).Deserialize(args) ?? throw new JsonException("null arguments");
        }
        catch (JsonException e)
        {
            throw new ControlRequestException($"bad arguments for '{command}': {e.Message}");
        }
        return new ControlResult(await HandleAsync(parsed, cancel), result);
    }

    protected abstract Task<TResult> HandleAsync(TArgs args, CancellationToken cancel);
}
