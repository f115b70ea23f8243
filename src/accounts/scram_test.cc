// Unit tests for the SCRAM-SHA-256 server (and the ScramClient used by integration tests):
// the RFC 7677 vector, full exchanges, and every way an exchange must fail.
#include "accounts/scram.h"

#include <gtest/gtest.h>

#include "accounts/scram_client.h"
#include "base/base64.h"

namespace salon::accounts {
namespace {

constexpr std::string_view kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

const ScramCredentials& PencilCredentials() {
  static const ScramCredentials creds =
      MakeScramCredentials("pencil", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  return creds;
}

// A server that has answered the RFC 7677 client-first.
ScramServer VectorServerAfterFirst() {
  ScramServer server{std::string(kServerNonce)};
  auto first = server.ParseClientFirst(kClientFirst);
  EXPECT_TRUE(first.ok()) << first.error();
  auto server_first = server.ServerFirst(PencilCredentials());
  EXPECT_TRUE(server_first.ok());
  return server;
}

TEST(Scram, Rfc7677Vector) {
  ScramServer server{std::string(kServerNonce)};
  auto first = server.ParseClientFirst(kClientFirst);
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->username, "user");
  EXPECT_EQ(first->authzid, "");
  auto server_first = server.ServerFirst(PencilCredentials());
  ASSERT_TRUE(server_first.ok()) << server_first.error();
  EXPECT_EQ(*server_first, kServerFirst);
  EXPECT_FALSE(server.succeeded());
  ScramServerFinal final = server.HandleClientFinal(kClientFinal);
  EXPECT_TRUE(final.ok);
  EXPECT_EQ(final.message, kServerFinal);
  EXPECT_TRUE(server.succeeded());
}

TEST(Scram, ClientReproducesRfc7677Vector) {
  ScramClient client("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
  EXPECT_EQ(client.ClientFirst(), kClientFirst);
  EXPECT_FALSE(client.VerifyServerFinal(kServerFinal));  // nothing expected yet
  auto final = client.HandleServerFirst(kServerFirst);
  ASSERT_TRUE(final.ok()) << final.error();
  EXPECT_EQ(*final, kClientFinal);
  EXPECT_TRUE(client.VerifyServerFinal(kServerFinal));
  EXPECT_FALSE(client.VerifyServerFinal("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
  EXPECT_FALSE(client.VerifyServerFinal("e=invalid-proof"));
}

TEST(Scram, ClientRejectsBadServerFirst) {
  const char* bad[] = {
      "r=otherNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",             // does not extend ours
      "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",      // not extended at all
      "r=rOprNGfwEbeRWgbNEkqOx,s=not base64,i=4096",                   // bad salt
      "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",        // zero iterations
      "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=9999999",  // too many
      "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=12ab",     // not a number
      "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",                             // no nonce
  };
  for (const char* text : bad) {
    ScramClient client("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
    EXPECT_FALSE(client.HandleServerFirst(text).ok()) << text;
  }
}

TEST(Scram, FullExchangeWithRandomSaltAndNonces) {
  ScramCredentials creds = MakeScramCredentials("s3cret, with = signs");
  EXPECT_EQ(creds.salt.size(), 16u);
  EXPECT_EQ(creds.iterations, kScramDefaultIterations);
  EXPECT_NE(MakeScramCredentials("s3cret, with = signs").salt, creds.salt);

  ScramClient client("ali,ce=x", "s3cret, with = signs");
  ScramServer server;
  auto first = server.ParseClientFirst(client.ClientFirst());
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->username, "ali,ce=x");
  EXPECT_EQ(server.username(), "ali,ce=x");
  auto server_first = server.ServerFirst(creds);
  ASSERT_TRUE(server_first.ok());
  auto client_final = client.HandleServerFirst(*server_first);
  ASSERT_TRUE(client_final.ok()) << client_final.error();
  ScramServerFinal final = server.HandleClientFinal(*client_final);
  ASSERT_TRUE(final.ok) << final.message;
  EXPECT_TRUE(client.VerifyServerFinal(final.message));
}

TEST(Scram, WrongPasswordIsInvalidProof) {
  ScramClient client("user", "pencil2");
  ScramServer server;
  ASSERT_TRUE(server.ParseClientFirst(client.ClientFirst()).ok());
  auto server_first = server.ServerFirst(PencilCredentials());
  ASSERT_TRUE(server_first.ok());
  auto client_final = client.HandleServerFirst(*server_first);
  ASSERT_TRUE(client_final.ok());
  ScramServerFinal final = server.HandleClientFinal(*client_final);
  EXPECT_FALSE(final.ok);
  EXPECT_EQ(final.message, "e=invalid-proof");
  EXPECT_FALSE(server.succeeded());
}

TEST(Scram, TamperedProofFails) {
  std::string tampered(kClientFinal);
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'V' ? 'W' : 'V';
  ScramServer server = VectorServerAfterFirst();
  ScramServerFinal final = server.HandleClientFinal(tampered);
  EXPECT_FALSE(final.ok);
  EXPECT_EQ(final.message, "e=invalid-proof");

  // A proof of the wrong length is refused before any comparison.
  ScramServer short_proof = VectorServerAfterFirst();
  EXPECT_EQ(short_proof
                .HandleClientFinal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                   "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndQ==")
                .message,
            "e=invalid-proof");
}

TEST(Scram, ReplayedClientFinalFailsOnFreshNonce) {
  // The RFC 7677 client-final was valid for its exchange; a new exchange has a new server
  // nonce, so replaying it fails even with the same client-first and credentials.
  ScramServer server;  // random nonce
  ASSERT_TRUE(server.ParseClientFirst(kClientFirst).ok());
  ASSERT_TRUE(server.ServerFirst(PencilCredentials()).ok());
  ScramServerFinal final = server.HandleClientFinal(kClientFinal);
  EXPECT_FALSE(final.ok);
  EXPECT_EQ(final.message, "e=other-error");
}

TEST(Scram, NonceMustMatchExactly) {
  const std::string variants[] = {
      // truncated, extended, client part only
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0x,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
      "c=biws,r=rOprNGfwEbeRWgbNEkqO,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  };
  for (const auto& message : variants) {
    ScramServer server = VectorServerAfterFirst();
    EXPECT_EQ(server.HandleClientFinal(message).message, "e=other-error") << message;
  }
}

TEST(Scram, ChannelBindingMustMatchGs2Header) {
  // "eSws" is base64("y,,"): the client claims another header than the "n,," it sent.
  ScramServer server = VectorServerAfterFirst();
  ScramServerFinal final = server.HandleClientFinal(
      "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  EXPECT_EQ(final.message, "e=channel-bindings-dont-match");

  // A "y,," exchange must send c=eSws; the client helper's biws is then a mismatch.
  ScramServer y_server{std::string(kServerNonce)};
  ASSERT_TRUE(y_server.ParseClientFirst("y,,n=user,r=rOprNGfwEbeRWgbNEkqO").ok());
  ASSERT_TRUE(y_server.ServerFirst(PencilCredentials()).ok());
  EXPECT_EQ(y_server.HandleClientFinal(kClientFinal).message, "e=channel-bindings-dont-match");
}

TEST(Scram, AuthzidIsDecodedAndBoundIntoChannelBinding) {
  ScramServer server{std::string(kServerNonce)};
  auto first = server.ParseClientFirst("n,a=ad=3Dmin=2Cx,n=user,r=rOprNGfwEbeRWgbNEkqO");
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->authzid, "ad=min,x");
  EXPECT_EQ(server.authzid(), "ad=min,x");
  ASSERT_TRUE(server.ServerFirst(PencilCredentials()).ok());
  // c=biws ("n,,") does not match the header "n,a=ad=3Dmin=2Cx," the client sent.
  EXPECT_EQ(server.HandleClientFinal(kClientFinal).message, "e=channel-bindings-dont-match");
}

TEST(Scram, MalformedClientFirst) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "gs2 header must start with n, or y,"},
      {"x,,n=user,r=abc", "gs2 header must start with n, or y,"},
      {"n", "gs2 header must start with n, or y,"},
      {"p=tls-unique,,n=user,r=abc", "channel binding is not supported"},
      {"n,", "gs2 header is not terminated"},
      {"n,b=x,n=user,r=abc", "gs2 header authzid must be a=<name>"},
      {"n,a=,n=user,r=abc", "empty authzid"},
      {"n,,m=ext,n=user,r=abc", "mandatory extensions (m=) are not supported"},
      {"n,,n=user", "client-first must be n=<user>,r=<nonce>"},
      {"n,,r=abc,n=user", "client-first must be n=<user>,r=<nonce>"},
      {"n,,n=,r=abc", "empty username"},
      {"n,,n=us=2Cer=,r=abc", "bad '=' escape in username (only =2C and =3D)"},
      {"n,,n=us=2cer,r=abc", "bad '=' escape in username (only =2C and =3D)"},
      {"n,,n=us=41er,r=abc", "bad '=' escape in username (only =2C and =3D)"},
      {"n,a=x=,n=user,r=abc", "bad '=' escape in authzid (only =2C and =3D)"},
      {"n,,n=user,r=", "client nonce is empty or not printable"},
      {"n,,n=user,r=ab c", "client nonce is empty or not printable"},
      {"n,,n=user,r=abc,!=x", "malformed extension in client-first"},
      {"n,,n=user,r=abc,", "malformed extension in client-first"},
  };
  for (const auto& [message, error] : cases) {
    ScramServer server;
    auto first = server.ParseClientFirst(message);
    ASSERT_FALSE(first.ok()) << message;
    EXPECT_EQ(first.error(), error) << message;
    EXPECT_FALSE(server.ServerFirst(PencilCredentials()).ok()) << message;  // exchange is over
  }
  ScramServer nul;
  EXPECT_EQ(nul.ParseClientFirst(std::string_view("n,,n=us\0er,r=abc", 16)).error(),
            "NUL in username");
}

TEST(Scram, OptionalExtensionsAreIgnored) {
  ScramServer server{std::string(kServerNonce)};
  auto first = server.ParseClientFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO,x=future");
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->username, "user");
}

TEST(Scram, SaslNameEscapesRoundTrip) {
  ScramServer server;
  auto first = server.ParseClientFirst("n,,n==3D=2C=3Da=2C,r=abc");
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->username, "=,=a,");
}

TEST(Scram, MalformedClientFinal) {
  const char* cases[] = {
      "",
      "c=biws",
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",  // no proof
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,c=biws,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",  // wrong order
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=,x=after",  // proof not last
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=not*base64",
      "c=bi!s,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",  // empty extension
  };
  for (const char* message : cases) {
    ScramServer server = VectorServerAfterFirst();
    ScramServerFinal final = server.HandleClientFinal(message);
    EXPECT_FALSE(final.ok) << message;
    EXPECT_EQ(final.message, "e=invalid-encoding") << message;
  }
}

TEST(Scram, OutOfOrderCallsFail) {
  ScramServer server;
  EXPECT_FALSE(server.ServerFirst(PencilCredentials()).ok());
  EXPECT_EQ(server.HandleClientFinal(kClientFinal).message, "e=other-error");

  ScramServer twice = VectorServerAfterFirst();
  EXPECT_TRUE(twice.HandleClientFinal(kClientFinal).ok);
  EXPECT_FALSE(twice.HandleClientFinal(kClientFinal).ok);  // one attempt per exchange
  EXPECT_FALSE(twice.succeeded());

  ScramServer no_keys;
  ASSERT_TRUE(no_keys.ParseClientFirst(kClientFirst).ok());
  EXPECT_EQ(no_keys.ServerFirst(ScramCredentials{}).error(), "incomplete SCRAM credentials");
}

TEST(Scram, UnknownUserLooksLikeWrongPassword) {
  constexpr std::string_view kSecret = "server secret from the data directory";
  // The same unknown name gets the same salt every time (as a stored account would); other
  // names get other salts.
  ScramCredentials a1 = MakeMockScramCredentials(kSecret, "ghost");
  ScramCredentials a2 = MakeMockScramCredentials(kSecret, "ghost");
  ScramCredentials b = MakeMockScramCredentials(kSecret, "ghost2");
  EXPECT_EQ(a1.salt, a2.salt);
  EXPECT_EQ(a1.salt.size(), 16u);
  EXPECT_NE(a1.salt, b.salt);
  EXPECT_NE(MakeMockScramCredentials("another secret", "ghost").salt, a1.salt);

  ScramClient client("ghost", "any password");
  ScramServer server;
  ASSERT_TRUE(server.ParseClientFirst(client.ClientFirst()).ok());
  auto server_first = server.ServerFirstForUnknownUser(kSecret);
  ASSERT_TRUE(server_first.ok());
  EXPECT_NE(server_first->find(",s=" + Base64Encode(a1.salt) + ",i=4096"), std::string::npos)
      << *server_first;
  auto client_final = client.HandleServerFirst(*server_first);
  ASSERT_TRUE(client_final.ok());
  ScramServerFinal final = server.HandleClientFinal(*client_final);
  EXPECT_FALSE(final.ok);
  EXPECT_EQ(final.message, "e=invalid-proof");  // the same reply as a wrong password
  EXPECT_FALSE(server.succeeded());
}

}  // namespace
}  // namespace salon::accounts
