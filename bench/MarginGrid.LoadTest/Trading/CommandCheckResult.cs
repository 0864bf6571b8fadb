namespace MarginGrid.LoadTest.Trading;

/// <summary>
/// The journal against the ledger. <see cref="Lost"/>: acknowledged, and not in the ledger. <see cref="Duplicated"/>:
/// in the ledger more than once. <see cref="Ghosts"/>: in the ledger though answered refused or never sent.
/// <see cref="Unresolved"/>: still unknown after every resend (their rows are not judged).
/// <see cref="BalanceMismatches"/>: accounts whose fees paid, as the journal models them, differ from the ledger's.
/// </summary>
public sealed record CommandCheckResult(int Checked, int Lost, int Duplicated, int Ghosts, int Unresolved, int BalanceMismatches, IReadOnlyList<string> Examples)
{
    public bool Clean => Lost == 0 && Duplicated == 0 && Ghosts == 0 && Unresolved == 0 && BalanceMismatches == 0;
}
