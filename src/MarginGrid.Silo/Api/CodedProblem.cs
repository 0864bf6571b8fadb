namespace MarginGrid.Silo.Api;

/// <summary>A problem response that also leaves its stable code on the request, so API metrics can count errors by code.</summary>
public sealed class CodedProblem(string code, IResult problem) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Items[Problems.CodeItem] = code;
        return problem.ExecuteAsync(httpContext);
    }
}
