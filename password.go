package outbound

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/frequency"
	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches a HashPassword hash, in
// constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewSecret returns n random bytes as unpadded base64url, with a prefix
// that says what the secret is for.
func NewSecret(prefix string, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Bounds of a password a person chooses.
const (
	// MaxPassword bounds a new password, in characters: long enough for
	// any passphrase, short enough that hashing it costs what any other
	// does.
	MaxPassword = 256
	// minGuessScore is zxcvbn's score a password must reach: 3 means about
	// 10^8 guesses or more, beyond what anyone gets through argon2id at
	// this server's sign-in limits.
	minGuessScore = 3
)

// commonPasswords are zxcvbn's 30,000 most common passwords (from leaked
// password sets, ranked by frequency), shipped in the binary with the
// library. Only those of MinPassword characters or more can matter: the
// rest are refused for their length.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, p := range frequency.FrequencyLists["passwords"] {
		if utf8.RuneCountInString(p) >= MinPassword {
			set[p] = true
		}
	}
	return set
})

// ValidatePassword reports why password may not be user's new password,
// naming the field new_password: fewer than MinPassword or more than
// MaxPassword characters, the user name inside it, one of the common
// passwords, or, by zxcvbn's estimate, built from few enough common words,
// names, dates, keyboard runs, repeats and sequences to be guessed in
// fewer than about 10^8 tries. Every way a person sets a password goes
// through it.
func ValidatePassword(user, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return Errorf(EINVALID, "new_password", "a password must be valid UTF-8 text")
	case n < MinPassword:
		return Errorf(EINVALID, "new_password", "a password has at least %d characters; this one has %d", MinPassword, n)
	case n > MaxPassword:
		return Errorf(EINVALID, "new_password", "a password has at most %d characters; this one has %d", MaxPassword, n)
	case user != "" && strings.Contains(strings.ToLower(password), strings.ToLower(user)):
		return Errorf(EINVALID, "new_password", "a password must not contain the user name %q: it is the first thing tried", user)
	case commonPasswords()[strings.ToLower(password)]:
		return Errorf(EINVALID, "new_password", "this password is in a list of the most common passwords, which are tried first; choose another")
	}
	r := zxcvbn.PasswordStrength(password, []string{user, "outbound"})
	if r.Score >= minGuessScore {
		return nil
	}
	var parts []string
	for _, m := range r.Sequence {
		switch m.Pattern {
		case "dictionary":
			if m.DictionaryName == "passwords" {
				parts = append(parts, fmt.Sprintf("the common password %q", m.Token))
			} else {
				parts = append(parts, fmt.Sprintf("the common word or name %q", m.Token))
			}
		case "spatial":
			parts = append(parts, fmt.Sprintf("the keyboard run %q", m.Token))
		case "repeat":
			parts = append(parts, fmt.Sprintf("the repeat %q", m.Token))
		case "sequence":
			parts = append(parts, fmt.Sprintf("the sequence %q", m.Token))
		case "date":
			parts = append(parts, fmt.Sprintf("the date %q", m.Token))
		case "regex":
			parts = append(parts, fmt.Sprintf("the year %q", m.Token))
		}
	}
	why := "it is made of patterns that are tried early"
	if len(parts) > 0 {
		why = "it is made of " + strings.Join(parts, ", ")
	}
	return Errorf(EINVALID, "new_password", "this password is too easy to guess: %s; add words or characters of your own", why)
}
