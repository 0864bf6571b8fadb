namespace MarginGrid.Abstractions.Common;

/// <summary>
/// Why a command was refused: a stable machine <see cref="Code"/> (e.g. <c>invalid_quantity</c>), its
/// <see cref="Kind"/> (<c>invalid</c>, <c>not_found</c>, <c>conflict</c>, <c>rule</c>, <c>unavailable</c>) from which the HTTP
/// status follows, and a human <see cref="Detail"/>. A refused command changed nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.CommandError")]
public sealed record CommandError(
    [property: Id(0)] string Code,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Detail);
