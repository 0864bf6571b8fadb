using MarginGrid.Abstractions.Common;
using MarginGrid.Domain.Common;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>Turns a refusal of the rules into the error that travels back to callers.</summary>
public static class Errors
{
    public static CommandError From(DomainException error) => new(error.Code, KindWord(error.Kind), error.Message);

    public static CommandResult<T> Fail<T>(DomainException error) => CommandResult<T>.Fail(From(error));

    private static string KindWord(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.NotFound => "not_found",
        DomainErrorKind.Conflict => "conflict",
        DomainErrorKind.RuleViolation => "rule",
        _ => "invalid",
    };
}
