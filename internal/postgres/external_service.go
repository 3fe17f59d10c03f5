package postgres

import (
	"context"

	"github.com/jichitai-isms/isms/internal/isms"
)

// FindExternalServiceTasks answers the external service tasks of the actor (unitID 0) or of the unit unitID.
func (db *DB) FindExternalServiceTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	return nil, nil
}

// FindExternalServiceAttention answers every external service record in the actor's scope that needs action.
func (db *DB) FindExternalServiceAttention(ctx context.Context, actor isms.Actor) ([]isms.Task, error) {
	return nil, nil
}
