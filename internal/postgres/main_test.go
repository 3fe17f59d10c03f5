package postgres_test

import (
	"testing"

	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
