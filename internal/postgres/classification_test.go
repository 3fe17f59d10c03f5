package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// The master data arrives with the database: the current scheme active, both schemes' levels in
// order, the restriction matrix and the eleven asset types.
func TestClassificationMasterData(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	active, err := db.FindActiveScheme(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, l := range active.LevelsOf(isms.AxisC) {
		codes = append(codes, l.Code)
	}
	if active.Code != "R6" || !slices.Equal(codes, []string{"LGC3A", "LGC3B", "LGC3C", "LGC2", "LGC1"}) {
		t.Errorf("active scheme %s with confidentiality levels %v", active.Code, codes)
	}
	levels, _ := db.FindLevels(ctx)
	if !levels["LGC2"].AtLeastTwo() || levels["LGC1"].AtLeastTwo() || !levels["C2"].AtLeastTwo() || levels["LGA1"].AtLeastTwo() {
		t.Error("the 2以上 threshold is wrong")
	}
	matrix, _ := db.FindLevelRestrictions(ctx)
	if len(matrix["LGC3A"]) != 9 || !slices.Contains(matrix["LGA2"], "RTO") || len(matrix["LGC1"]) != 0 {
		t.Errorf("restriction matrix: %v", matrix)
	}
	types, _ := db.FindAssetTypes(ctx)
	restrictions, _ := db.FindRestrictions(ctx)
	if len(types) != 11 || len(restrictions) != 18 {
		t.Errorf("%d asset types, %d restrictions", len(types), len(restrictions))
	}
}
