namespace MarginGrid.Silo.Auth;

/// <summary>The roles of API keys and the policies built on them.</summary>
public static class GridRoles
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";

    /// <summary>Where the Orleans dashboard is mounted (admin only).</summary>
    public const string DashboardPath = "/dashboard";
    public const string Admin = "admin";
    public const string Reader = "reader";
    public const string Account = "account";
    public const string AccountClaim = "margingrid:account";

    /// <summary>Policy: admin only (every command).</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Policy: admin or reader (everything readable); account keys are checked per account by the endpoint.</summary>
    public const string ReadPolicy = "read";
}
