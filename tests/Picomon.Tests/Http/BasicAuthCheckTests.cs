using System.Text;
using Picomon.Configuration;
using Picomon.Http;

namespace Picomon.Tests.Http;

public class BasicAuthCheckTests
{
    private static readonly BasicAuthCheck Check = new(new BasicAuth("ops", "s3cret: é"));

    private static string Header(string credentials, string scheme = "Basic") =>
        $"{scheme} {Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))}";

    [Fact]
    public void The_configured_user_and_password_are_allowed_in_utf8_whatever_the_schemes_case()
    {
        Assert.True(Check.Allows(Header("ops:s3cret: é")));
        Assert.True(Check.Allows(Header("ops:s3cret: é", "basic")));
    }

    [Theory]
    [InlineData("ops:s3cret")]
    [InlineData("ops:s3cret: é ")]
    [InlineData("Ops:s3cret: é")]
    [InlineData("ops")]
    [InlineData("")]
    public void Anything_else_is_refused(string credentials) => Assert.False(Check.Allows(Header(credentials)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer b3BzOnMzY3JldDogw6k=")]
    [InlineData("Basic not base64!")]
    [InlineData("Basic")]
    public void A_missing_or_malformed_header_is_refused(string? header) => Assert.False(Check.Allows(header));
}
