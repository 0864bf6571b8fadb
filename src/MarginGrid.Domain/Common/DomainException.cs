namespace MarginGrid.Domain.Common;

/// <summary>
/// A command or definition the margin rules refuse. <see cref="Code"/> is stable and machine-readable
/// (it becomes the <c>code</c> of an HTTP problem document); the message says what was wrong in words.
/// </summary>
public sealed class DomainException : Exception
{
    /// <summary>The code travels in <see cref="Exception.Data"/>: serializers that rebuild an exception from its message and data keep it.</summary>
    private const string CodeKey = "margingrid.code";

    public DomainException(string code, string message)
        : base(message) => Data[CodeKey] = code;

    public string Code => Data[CodeKey] as string ?? ErrorCodes.InvalidArgument;

    /// <summary>What kind of refusal this is, so callers can map it (400, 409, 422) without string tests.</summary>
    public DomainErrorKind Kind => ErrorCodes.KindOf(Code);
}
