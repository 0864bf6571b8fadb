using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// A hypothetical change to value without storing it: fills applied in order, then marks replaced or shocked.
/// Every part may be empty (or default); a symbol may have a mark or a shock, not both.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.WhatIfRequest")]
public sealed record WhatIfRequest(
    [property: Id(0)] ImmutableArray<HypotheticalFill> Fills,
    [property: Id(1)] ImmutableArray<MarkOverride> Marks,
    [property: Id(2)] ImmutableArray<MarkShock> Shocks)
{
    /// <summary>Nothing hypothetical: the live state, marked as a what-if.</summary>
    public static WhatIfRequest Empty { get; } = new([], [], []);
}
