using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;

namespace MarginGrid.Domain.Accounts;

/// <summary>
/// The insurance fund of one settlement asset: its balance is the sum of the ledger entries addressed to
/// it, and it never goes negative; a transaction that would take it below zero is refused whole.
/// </summary>
public sealed class InsuranceFund
{
    private readonly HashSet<string> _applied = new(StringComparer.Ordinal);
    private readonly LedgerAccount _account;

    public InsuranceFund(string asset)
    {
        Require.That(!string.IsNullOrWhiteSpace(asset), ErrorCodes.InvalidArgument, "An insurance fund needs an asset.");
        Asset = asset;
        _account = LedgerAccount.InsuranceFund(asset);
    }

    public string Asset { get; }

    public decimal Balance { get; private set; }

    /// <summary>What the fund can pay towards <paramref name="deficit"/> now.</summary>
    public decimal CanPay(decimal deficit) => Math.Max(0m, Math.Min(deficit, Balance));

    /// <summary>A deposit that seeds the fund from outside.</summary>
    public LedgerTransaction DecideDeposit(string transferId, decimal amount)
    {
        Require.Id(transferId, "A transfer id");
        Require.Positive(amount, "Amount", ErrorCodes.InvalidAmount);
        Require.AtMostDecimals(amount, Account.DefaultAssetDecimals, "Amount", ErrorCodes.InvalidAmount);
        return LedgerTransaction.Create($"fund-transfer:{transferId}", "fund-deposit",
            new LedgerLeg(LedgerAccount.External(Asset), -amount, EntryKind.FundDeposit),
            new LedgerLeg(_account, amount, EntryKind.FundDeposit));
    }

    /// <summary>Applies the fund's legs of a transaction once; returns false for a replay.</summary>
    public bool Apply(LedgerTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (_applied.Contains(transaction.TransactionId))
        {
            return false;
        }

        var delta = transaction.NetFor(_account);
        Require.That(Balance + delta >= 0m, ErrorCodes.InsufficientMargin,
            $"The {Asset} insurance fund holds {Balance} and cannot pay {-delta}.");
        Balance += delta;
        _applied.Add(transaction.TransactionId);
        return true;
    }
}
