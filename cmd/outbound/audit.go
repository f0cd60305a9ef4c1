package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/sqldb"
)

// audit handles the audit log: keygen, checkpoint, verify.
func (m *Main) audit(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("audit: expected keygen, checkpoint or verify")
	}
	fs, c := m.flags("audit "+args[0], false)
	var keyFile, out, pubHex, kept *string
	var sample *int
	switch args[0] {
	case "keygen": // makes a file, touches no database
		fs = m.bareFlags("audit keygen")
		out = fs.String("out", "", "file to write the private signing key to (kept off the database host's backups)")
	case "checkpoint":
		keyFile = fs.String("key", "", "the private signing key file (from audit keygen)")
	case "verify":
		keyFile = fs.String("key", "", "take the public key from this private key file")
		pubHex = fs.String("public-key", "", "the signing key's public half, in hex (as audit keygen printed it); after a key rotation, the old and new ones, comma-separated")
		kept = fs.String("checkpoints", "", "a JSON file of checkpoints kept by an auditor (GET /api/v1/audit/checkpoints)")
		sample = fs.Int("sample", 0, "recompute the report rollups of only this many crossing-months, drawn at random (0: all of them)")
	default:
		return usagef("audit: unknown %q; expected keygen, checkpoint or verify", args[0])
	}
	if err := parse(fs, args[1:], 0, "flags only"); err != nil {
		return err
	}
	switch args[0] {
	case "keygen":
		return m.keygen(*out)
	case "checkpoint":
		key, err := readKey(*keyFile)
		if err != nil {
			return err
		}
		return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
			cp, signed, err := db.SignCheckpoint(ctx, key)
			switch {
			case err != nil:
				return err
			case signed:
				fmt.Fprintf(m.Stdout, "signed checkpoint at entry %d (%.16s...)\n", cp.Seq, cp.Hash)
			default:
				fmt.Fprintln(m.Stdout, "nothing new to sign: the last checkpoint covers the head")
			}
			return nil
		})
	}
	var keys []ed25519.PublicKey
	switch {
	case *pubHex != "":
		var err error
		if keys, err = parsePublicKeys(*pubHex); err != nil {
			return err
		}
	case *keyFile != "":
		key, err := readKey(*keyFile)
		if err != nil {
			return err
		}
		keys = append(keys, key.Public().(ed25519.PublicKey))
	}
	var copies []outbound.Checkpoint
	if *kept != "" {
		var err error
		if copies, err = readCheckpoints(*kept); err != nil {
			return err
		}
	}
	if *sample < 0 {
		return usagef("audit verify: --sample must be 0 (every crossing-month) or more")
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		var bar *progress
		rep, err := db.Verify(ctx, keys, copies, sqldb.RollupCheck{Sample: *sample, Progress: func(done, total int64) {
			if bar == nil {
				bar = m.progress(total, "recomputing the report rollups", false)
			}
			bar.Add(int(done - bar.done))
			bar.done = done
		}})
		if bar != nil {
			bar.Finish()
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%d audit entries, %d checkpoints, %d records checked, %d rollup cells recomputed\n", rep.Entries, rep.Checkpoints, rep.Records, rep.RollupCells)
		if rep.RollupSample > 0 {
			fmt.Fprintf(m.Stdout, "rollups: only a sample of %d crossing-months was recomputed; a cell outside it is not checked (run without --sample to check every one)\n", rep.RollupSample)
		}
		if len(keys) == 0 && rep.Checkpoints > 0 {
			fmt.Fprintln(m.Stdout, "no public key given (--public-key or --key): checkpoint signatures were not checked")
		}
		if rep.OK() {
			fmt.Fprintln(m.Stdout, "ok: the chain is whole, every record matches its last entry, and every rollup cell checked matches the inspections")
			return nil
		}
		if rep.FirstBroken > 0 {
			fmt.Fprintf(m.Stdout, "the first broken link is at entry %d\n", rep.FirstBroken)
		}
		for _, p := range rep.Problems {
			fmt.Fprintln(m.Stdout, "problem:", p)
		}
		return errProblems
	})
}

func (m *Main) keygen(out string) error {
	if out == "" {
		return usagef("audit keygen: --out FILE is required")
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return usagef("audit keygen: %s exists; it is not overwritten", out)
	} else if err != nil {
		return usagef("audit keygen: %v", err)
	}
	if _, err := fmt.Fprintln(f, hex.EncodeToString(key.Seed())); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "wrote the signing key to %s (keep it off the database host's backups)\npublic key: %s\n", out, hex.EncodeToString(pub))
	return nil
}

// readKey reads a signing key file written by audit keygen.
func readKey(path string) (ed25519.PrivateKey, error) {
	if path == "" {
		return nil, usagef("--key FILE is required")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("%v", err)
	}
	seed, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, outbound.Errorf(outbound.EINVALID, "key", "%s: not a signing key written by outbound audit keygen", path)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// readCheckpoints reads kept checkpoints: the API's list, or a bare array.
func readCheckpoints(path string) ([]outbound.Checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("%v", err)
	}
	var list struct {
		Items []outbound.Checkpoint `json:"items"`
	}
	if err := json.Unmarshal(b, &list); err == nil && list.Items != nil {
		return list.Items, nil
	}
	var items []outbound.Checkpoint
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, outbound.Errorf(outbound.EINVALID, "checkpoints", "%s: not a list of checkpoints: %v", path, err)
	}
	return items, nil
}

// parsePublicKeys reads comma-separated hex public keys.
func parsePublicKeys(list string) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	for _, h := range strings.Split(list, ",") {
		p, err := outbound.ParsePublicKey(strings.TrimSpace(h))
		if err != nil {
			return nil, err
		}
		keys = append(keys, p)
	}
	return keys, nil
}
