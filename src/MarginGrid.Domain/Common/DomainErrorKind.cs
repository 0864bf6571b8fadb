namespace MarginGrid.Domain.Common;

/// <summary>Why a command was refused: the input was wrong, it conflicts with an earlier one, the rules say no, or it cannot be decided now.</summary>
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

    /// <summary>The grid cannot decide now (e.g. no fresh mark); nothing changed, retry later (HTTP 503).</summary>
    Unavailable,
}
