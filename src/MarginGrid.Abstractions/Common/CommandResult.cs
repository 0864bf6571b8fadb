namespace MarginGrid.Abstractions.Common;

/// <summary>
/// The outcome of a command sent to a grain: its value, or the error that refused it. Errors travel as
/// data rather than exceptions, so every caller (HTTP, the Orleans client) sees the same code.
/// <see cref="Replayed"/> is true when the command id had already been applied with the same content.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.CommandResult`1")]
public sealed record CommandResult<T>(
    [property: Id(0)] T? Value,
    [property: Id(1)] CommandError? Error,
    [property: Id(2)] bool Replayed)
{
    public bool Succeeded => Error is null;

    public static CommandResult<T> Ok(T value, bool replayed = false) => new(value, null, replayed);

    public static CommandResult<T> Fail(CommandError error) => new(default, error, false);
}
