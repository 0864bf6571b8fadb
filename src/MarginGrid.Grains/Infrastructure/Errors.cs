using MarginGrid.Abstractions.Common;
using MarginGrid.Domain.Common;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>Turns a refusal of the rules into the error that travels back to callers.</summary>
public static class Errors
{
    public static CommandError From(DomainException error) => new(error.Code, KindWord(error.Kind), error.Message);

    public static CommandResult<T> Fail<T>(DomainException error) => CommandResult<T>.Fail(From(error));

    /// <summary>
    /// Arithmetic that overflowed despite the bounds: refused like any value beyond them, never a 500, and
    /// nothing was appended (overflow can only happen while deciding).
    /// </summary>
    public static CommandResult<T> Overflow<T>(OverflowException error) =>
        CommandResult<T>.Fail(new CommandError(ErrorCodes.OutOfBounds, "rule", $"The command's figures pass the grid's bounds ({error.Message})."));

    /// <summary>The event store did not confirm the command: nothing was acknowledged; retry with the same id.</summary>
    public static CommandResult<T> Unavailable<T>(EventLogUnavailableException error) =>
        CommandResult<T>.Fail(new CommandError("ledger_unavailable", "unavailable", error.Message));

    private static string KindWord(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.NotFound => "not_found",
        DomainErrorKind.Conflict => "conflict",
        DomainErrorKind.RuleViolation => "rule",
        DomainErrorKind.Unavailable => "unavailable",
        _ => "invalid",
    };
}
