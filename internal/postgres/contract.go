package postgres

import (
	"context"

	"github.com/jichitai-isms/isms/internal/isms"
)

// FindContractTasks answers the contract tasks of the actor (unitID 0) or of the unit unitID.
func (db *DB) FindContractTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	return nil, nil
}

// FindContractAttention answers every contract record in the actor's scope that needs action.
func (db *DB) FindContractAttention(ctx context.Context, actor isms.Actor) ([]isms.Task, error) {
	return nil, nil
}
