package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// userCmd: `isms user create --login ID --name NAME --role ROLE [--unit CODE]` creates an account
// and prints its one-time password, which the person changes at first sign-in.
func userCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, "isms user: say create --login ID --name NAME --role ROLE\n")
		return exitUsage
	}
	fs := flag.NewFlagSet("isms user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	login := fs.String("login", "", "login id (staff number or e-mail)")
	name := fs.String("name", "", "display name")
	role := fs.String("role", string(isms.RoleStaff), "system_admin, security_office, ciso, auditor or staff")
	unit := fs.String("unit", "", "code of the unit the person belongs to")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	return withDB(ctx, cfg, log, func(db *postgres.DB) int {
		in := isms.UserInput{LoginID: *login, Name: *name, Lang: "ja", DateStyle: "seireki", Role: isms.Role(*role)}
		if *unit != "" {
			u, err := db.FindUnitByCode(ctx, *unit)
			if err != nil {
				fmt.Fprintf(stderr, "isms user create: no unit with code %q\n", *unit)
				return exitUsage
			}
			in.UnitID = u.ID
		}
		password, err := createUser(ctx, db, isms.SystemActor("cli"), in)
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
			flags := map[string]string{"login_id": "login", "name": "name", "role": "role", "unit_id": "unit"}
			for field, key := range ve.Fields {
				fmt.Fprintf(stderr, "isms user create: --%s: %s / %s\n", cmp.Or(flags[field], field), i18n.Ja.T(key), i18n.En.T(key))
			}
			return exitUsage
		}
		if err != nil {
			log.Error("user create", "err", err)
			return exitFailed
		}
		fmt.Fprintf(stdout, "created %s (%s)\none-time password: %s\n", in.LoginID, in.Role, password)
		return exitOK
	})
}

// createUser creates an account with a new one-time password and returns the password.
func createUser(ctx context.Context, db *postgres.DB, actor isms.Actor, in isms.UserInput) (string, error) {
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		return "", err
	}
	_, err = db.CreateUser(ctx, actor, in, hash)
	return password, err
}

// firstAdministrator creates the administrator "admin" when the portal has no account at all, and
// prints its one-time password on the console: the only place it ever appears.
func firstAdministrator(ctx context.Context, db *postgres.DB, stdout io.Writer) error {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	in := isms.UserInput{LoginID: "admin", Name: "システム管理者", NameKana: "システムカンリシャ", Lang: "ja", DateStyle: "seireki", Role: isms.RoleSystemAdmin}
	password, err := createUser(ctx, db, isms.SystemActor("first-start"), in)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n  最初の管理者を作成しました / First administrator created\n"+
		"    ログインID / login:               %s\n"+
		"    一時パスワード / one-time password: %s\n"+
		"  (この表示は一度だけです。初回ログインでパスワードの変更と多要素認証の設定を行います。\n"+
		"   Shown only this once; the first sign-in sets a new password and MFA.)\n", in.LoginID, password)
	return nil
}
