namespace MarginGrid.Domain.Common;

/// <summary>Why a command was refused: the input was wrong, it conflicts with an earlier one, or the rules say no.</summary>
public enum DomainErrorKind
{
    /// <summary>Malformed or out-of-range input (HTTP 400).</summary>
    InvalidInput,

    /// <summary>Something the command needs does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>An id already used with different content (HTTP 409).</summary>
    Conflict,

    /// <summary>Valid input that the margin rules refuse (HTTP 422).</summary>
    RuleViolation,
}
