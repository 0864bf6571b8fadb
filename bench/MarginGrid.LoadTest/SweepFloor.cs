using System.Diagnostics;
using MarginGrid.Domain.Margin;

namespace MarginGrid.LoadTest;

/// <summary>
/// The floor any design could reach: the same accounts' positions evaluated in a tight loop with the domain
/// library on one thread (no messages, no grains). Reported per account.
/// </summary>
public static class SweepFloor
{
    public static double NanosecondsPerAccount(IReadOnlyList<(WalletBalance[] Wallets, MarkedPosition[] Positions)> accounts, MarginLevelThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (accounts.Count == 0)
        {
            return 0;
        }

        var breaches = 0;
        var rounds = 0;
        var clock = Stopwatch.StartNew();

        // At least one second of looping, at least one full pass.
        while (rounds == 0 || clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            foreach (var (wallets, positions) in accounts)
            {
                if (MarginCalculator.Assess(wallets, positions, thresholds).InBreach)
                {
                    breaches++;
                }
            }

            rounds++;
        }

        GC.KeepAlive(breaches);
        return clock.Elapsed.TotalNanoseconds / ((double)rounds * accounts.Count);
    }
}
