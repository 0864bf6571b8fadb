using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// What an account tells its shard about its position in the shard's market, after each evaluation: its
/// signed size, entry price, its scope's balance and, for a cross scope, all its cross positions in that
/// asset, this one included (so the shard scores it for
/// ADL at the current marks, not at the marks of its last evaluation; <see cref="AdlScore"/> is that last
/// score, kept only for a market whose mark or definition the silo lacks), its level
/// and notional (for at-risk figures), and, when <see cref="Banded"/>, the band of marks inside which no
/// level of the account can change (null bounds: unbounded on that side). The shard skips the account while
/// its mark stays in the band. <see cref="Stamp"/> orders reports that race (a reply and a push).
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.HolderReport")]
public sealed record HolderReport(
    [property: Id(0)] decimal Size,
    [property: Id(1)] decimal AdlScore,
    [property: Id(2)] decimal? BandLow,
    [property: Id(3)] decimal? BandHigh,
    [property: Id(4)] bool Banded = false,
    [property: Id(5)] long Stamp = 0,
    [property: Id(6)] int Level = 0,
    [property: Id(7)] decimal Notional = 0m,
    [property: Id(8)] long MarkSequence = 0,
    [property: Id(9)] decimal EntryPrice = 0m,
    [property: Id(10)] decimal ScopeBalance = 0m,
    [property: Id(11)] ImmutableArray<HeldPosition> CrossPositions = default)
{
    /// <summary>Whether the shard may skip a mark at <paramref name="price"/>.</summary>
    public bool Holds(decimal price) => Banded && (BandLow is not { } low || price >= low) && (BandHigh is not { } high || price <= high);

    /// <summary>
    /// The same band, level and state (what the shard's skipping and its ADL scoring read), whatever the stamp,
    /// score or mark it was computed at.
    /// </summary>
    public bool SameBandAs(HolderReport? other) =>
        other is not null && Banded == other.Banded && BandLow == other.BandLow && BandHigh == other.BandHigh && Level == other.Level && Size == other.Size
        && EntryPrice == other.EntryPrice && ScopeBalance == other.ScopeBalance && CrossOrEmpty.SequenceEqual(other.CrossOrEmpty);

    /// <summary><see cref="CrossPositions"/>, empty when none were sent (an isolated position).</summary>
    public ImmutableArray<HeldPosition> CrossOrEmpty => CrossPositions.IsDefault ? [] : CrossPositions;
}
