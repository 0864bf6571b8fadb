using System.Security.Claims;

namespace MarginGrid.Silo.Auth;

/// <summary>Who may read an account: admin and reader keys, and an account key for its own account only.</summary>
public static class AccountAccess
{
    public static bool CanRead(ClaimsPrincipal user, string accountId)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(GridRoles.Admin) || user.IsInRole(GridRoles.Reader)
            || (user.IsInRole(GridRoles.Account) && user.FindFirstValue(GridRoles.AccountClaim) == accountId);
    }

    /// <summary>The account an account key is limited to; null for admin and reader keys.</summary>
    public static string? OwnAccount(ClaimsPrincipal user) =>
        user.IsInRole(GridRoles.Account) ? user.FindFirstValue(GridRoles.AccountClaim) : null;
}
