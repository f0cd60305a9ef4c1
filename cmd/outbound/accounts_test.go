package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/internal/testdb"
)

func TestAccountsFromTheCommandLine(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
		mustTokenCLI(t, dsn, "root", "admin")
		if code, _, errs := run(t, "user", "add", "--db", dsn, "--name", "root", "--role", "admin"); code != 2 || !strings.Contains(errs, "already exists") {
			t.Fatalf("a second root: %d %q", code, errs)
		}
		if code, _, errs := run(t, "user", "add", "--db", dsn, "--name", "olga", "--role", "officer"); code != 2 || !strings.Contains(errs, "needs at least one crossing") {
			t.Fatalf("an officer without a crossing: %d %q", code, errs)
		}
		mustTokenCLI(t, dsn, "olga", "officer", "2304")
		code, out, _ := run(t, "user", "list", "--db", dsn)
		if code != 0 || !strings.Contains(out, "olga") || !strings.Contains(out, "must change password") || !strings.Contains(out, "all") {
			t.Fatalf("user list: %d %q", code, out)
		}
		code, out, _ = run(t, "token", "list", "--db", dsn, "--user", "olga")
		fields := strings.Fields(strings.Split(out, "\n")[1])
		if code != 0 || len(fields) < 2 || !strings.HasPrefix(fields[0], "tok_") {
			t.Fatalf("token list: %d %q", code, out)
		}
		if code, out, _ = run(t, "token", "revoke", "--db", dsn, fields[0]); code != 0 {
			t.Fatalf("token revoke: %d %q", code, out)
		}
		if _, out, _ = run(t, "token", "list", "--db", dsn); !strings.Contains(out, "revoked") {
			t.Fatalf("token list after revoke: %q", out)
		}
		if code, _, _ := run(t, "token", "revoke", "--db", dsn, "tok_nothing"); code != 2 {
			t.Fatalf("revoke an unknown token: exit %d; want 2", code)
		}
		code, out, _ = run(t, "user", "reset", "--db", dsn, "--name", "olga")
		if code != 0 || !strings.Contains(out, "one-time password: ") || !strings.Contains(out, "sessions ended") {
			t.Fatalf("user reset: %d %q", code, out)
		}
		if code, _, errs := run(t, "user", "reset", "--db", dsn, "--name", "nobody"); code != 2 || !strings.Contains(errs, "does not exist") {
			t.Fatalf("reset an unknown user: %d %q", code, errs)
		}
		if code, out, _ = run(t, "user", "disable", "--db", dsn, "--name", "olga"); code != 0 || !strings.Contains(out, "disabled") {
			t.Fatalf("user disable: %d %q", code, out)
		}
		if _, out, _ = run(t, "user", "list", "--db", dsn); !strings.Contains(out, "disabled") {
			t.Fatalf("user list after disable: %q", out)
		}
	})
}

func TestAuditCommandsCatchTampering(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "a.db")
	key := filepath.Join(dir, "audit.key")
	run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
	run(t, "import", "staffing", "--db", dsn, "testdata/staffing.csv")
	code, out, _ := run(t, "audit", "keygen", "--out", key)
	if code != 0 || !strings.Contains(out, "public key: ") {
		t.Fatalf("keygen: %d %q", code, out)
	}
	pub := strings.TrimSpace(out[strings.Index(out, "public key: ")+len("public key: "):])
	if code, _, _ := run(t, "audit", "keygen", "--out", key); code != 2 {
		t.Fatalf("keygen over an existing key: exit %d; want 2", code)
	}
	if code, out, _ = run(t, "audit", "checkpoint", "--db", dsn, "--key", key); code != 0 || !strings.Contains(out, "signed checkpoint") {
		t.Fatalf("checkpoint: %d %q", code, out)
	}
	if code, out, _ = run(t, "audit", "verify", "--db", dsn, "--public-key", pub); code != 0 || !strings.Contains(out, "ok: ") {
		t.Fatalf("verify: %d %q", code, out)
	}

	// The key is rotated: checkpoints after it are signed by the new key,
	// and verify takes both public keys.
	key2 := filepath.Join(dir, "audit2.key")
	_, out, _ = run(t, "audit", "keygen", "--out", key2)
	pub2 := strings.TrimSpace(out[strings.Index(out, "public key: ")+len("public key: "):])
	run(t, "user", "add", "--db", dsn, "--name", "rotated", "--role", "auditor") // moves the head
	if code, out, _ = run(t, "audit", "checkpoint", "--db", dsn, "--key", key2); code != 0 || !strings.Contains(out, "signed checkpoint") {
		t.Fatalf("checkpoint with the new key: %d %q", code, out)
	}
	if code, out, _ = run(t, "audit", "verify", "--db", dsn, "--public-key", pub2); code != 1 || !strings.Contains(out, "not signed by any key given") {
		t.Fatalf("verify with the new key alone: %d %q; want the old checkpoint named", code, out)
	}
	if code, out, _ = run(t, "audit", "verify", "--db", dsn, "--public-key", pub+","+pub2); code != 0 || !strings.Contains(out, "ok: ") || !strings.Contains(out, "2 checkpoints") {
		t.Fatalf("verify with the old and new keys: %d %q", code, out)
	}

	db := testdb.Open(t, dsn)
	if _, err := db.SQL().Exec(`UPDATE staffing SET hours_diverted = 0, diversion_reason = ''`); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "audit", "verify", "--db", dsn, "--public-key", pub)
	if code != 1 || !strings.Contains(out, "problem: staffing:") || !strings.Contains(out, "was altered") {
		t.Fatalf("verify after tampering: %d %q; want exit 1 naming the staffing record", code, out)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "outbound test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	kb, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestServeOverTLSWithCheckpoints(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "tls.db")
	key := filepath.Join(dir, "audit.key")
	run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
	run(t, "audit", "keygen", "--out", key)
	auditor := mustTokenCLI(t, dsn, "aud", "auditor")
	code, out, _ := run(t, "user", "add", "--db", dsn, "--name", "olga", "--role", "officer", "--crossing", "2304")
	if code != 0 {
		t.Fatal(out)
	}
	password := strings.TrimSpace(strings.Split(strings.Split(out, "one-time password: ")[1], "\n")[0])

	cert, certKey, pool := selfSigned(t)
	if code, _, errs := run(t, "serve", "--db", dsn, "--tls-cert", cert); code != 2 || !strings.Contains(errs, "go together") {
		t.Fatalf("--tls-cert alone: %d %q", code, errs)
	}
	url, stop := serve(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", certKey, "--audit-key", key)
	defer stop()
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("url = %s; want https", url)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}

	body, _ := json.Marshal(map[string]string{"name": "olga", "password": password})
	resp, err := client.Post(url+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Fatalf("login over TLS: %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	for _, c := range resp.Cookies() {
		if c.Name == "outbound_session" && !c.Secure {
			t.Fatal("the session cookie over TLS is not Secure")
		}
	}
	// serve signed a checkpoint at start: the imports and users are covered.
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, body := get(t, client, url+"/api/v1/audit/checkpoints", auditor)
		if status == 200 && strings.Contains(string(body), `"signature"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint signed: %d %s", status, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// An officer's badge is given when the account is made, in any case; the
// list shows it, and a badge another account holds is refused by name.
func TestUserAddWithABadge(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "badge.db")
	run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
	if code, out, errs := run(t, "user", "add", "--db", dsn, "--name", "olga", "--role", "officer", "--crossing", "2304", "--badge", "b1234"); code != 0 {
		t.Fatalf("user add --badge: %d %q %q", code, out, errs)
	}
	if code, _, errs := run(t, "user", "add", "--db", dsn, "--name", "oleg", "--role", "officer", "--crossing", "2304", "--badge", "B1234"); code != 2 || !strings.Contains(errs, `badge B1234 belongs to user "olga"`) {
		t.Fatalf("a second account with the badge: %d %q", code, errs)
	}
	if code, _, errs := run(t, "user", "add", "--db", dsn, "--name", "oleg", "--role", "officer", "--crossing", "2304", "--badge", "B_1"); code != 2 || !strings.Contains(errs, "letters, digits or dashes") {
		t.Fatalf("a malformed badge: %d %q", code, errs)
	}
	code, out, _ := run(t, "user", "list", "--db", dsn)
	if code != 0 || !strings.Contains(out, "BADGE") || !strings.Contains(out, "B1234") {
		t.Fatalf("user list: %d %q", code, out)
	}
}
