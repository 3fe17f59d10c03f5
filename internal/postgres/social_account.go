package postgres

import (
	"context"

	"github.com/jichitai-isms/isms/internal/isms"
)

// FindSocialAccountTasks answers the social account tasks of the actor (unitID 0) or of the unit unitID.
func (db *DB) FindSocialAccountTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	return nil, nil
}

// FindSocialAccountAttention answers every social account record in the actor's scope that needs action.
func (db *DB) FindSocialAccountAttention(ctx context.Context, actor isms.Actor) ([]isms.Task, error) {
	return nil, nil
}
