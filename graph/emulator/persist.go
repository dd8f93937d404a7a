package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// A directory kept in a file (Options.StateFile): the demo's tenant
// outlives the process, so an app registered in one run can be found,
// checked and fixed in the next. Only what Graph would keep is saved:
// applications, service principals (with owners), deleted items (so a
// demo undo can be restored in a later run) and the consent setting;
// tokens, device codes and injected faults live only as long as the
// process, as sign-ins do.

// stateVersion changes when the file's shape does; a file of another
// version is refused rather than misread.
const stateVersion = 1

type savedState struct {
	Version            int           `json:"version"`
	TenantID           string        `json:"tenantId"`
	UserConsentAllowed bool          `json:"userConsentAllowed"`
	Applications       []savedObject `json:"applications"`
	ServicePrincipals  []savedObject `json:"servicePrincipals"`
	// DeletedItems were added without a version change: a file without
	// them simply has none.
	DeletedItems []savedDeleted `json:"deletedItems,omitempty"`
}

// savedDeleted is a soft-deleted object and the set it came from.
type savedDeleted struct {
	Set string `json:"set"` // "applications" or "servicePrincipals"
	savedObject
}

type savedObject struct {
	Object map[string]any `json:"object"`
	Owners []string       `json:"owners,omitempty"`
}

// Loaded reports whether Start found the state file (false: it started a
// fresh tenant, which the caller may seed).
func (s *Server) Loaded() bool { return s.loaded }

// loadState reads Options.StateFile when it exists.
func (s *Server) loadState() error {
	b, err := os.ReadFile(s.opts.StateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var st savedState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("%s is not an emulator state file (%v): remove it to start afresh", s.opts.StateFile, err)
	}
	if st.Version != stateVersion || st.TenantID != s.opts.TenantID {
		return fmt.Errorf("%s holds another tenant or format (version %d, tenant %s): remove it to start afresh", s.opts.StateFile, st.Version, st.TenantID)
	}
	s.apps, s.sps = restore(st.Applications), restore(st.ServicePrincipals)
	for _, d := range st.DeletedItems {
		set := applications
		if d.Set == servicePrincipals.set {
			set = servicePrincipals
		}
		for _, o := range restore([]savedObject{d.savedObject}) {
			s.deleted = append(s.deleted, &deletedItem{set: set, o: o})
		}
	}
	s.userConsentAllowed = st.UserConsentAllowed
	s.loaded = true
	return nil
}

func restore(objs []savedObject) []*dirObject {
	out := make([]*dirObject, 0, len(objs))
	for _, o := range objs {
		if o.Object == nil {
			continue
		}
		out = append(out, &dirObject{obj: o.Object, owners: o.Owners})
	}
	return out
}

// saveStateLocked writes the directory to Options.StateFile (s.mu held):
// to a temporary file first, then renamed over the old one, so a crash
// never leaves half a tenant. The folder is 0700 and the file 0600, as for
// any per-user state.
func (s *Server) saveStateLocked() error {
	if s.opts.StateFile == "" {
		return nil
	}
	st := savedState{Version: stateVersion, TenantID: s.opts.TenantID, UserConsentAllowed: s.userConsentAllowed}
	for _, a := range s.apps {
		st.Applications = append(st.Applications, savedObject{Object: a.obj, Owners: a.owners})
	}
	for _, sp := range s.sps {
		st.ServicePrincipals = append(st.ServicePrincipals, savedObject{Object: sp.obj, Owners: sp.owners})
	}
	for _, d := range s.deleted {
		st.DeletedItems = append(st.DeletedItems, savedDeleted{Set: d.set.set, savedObject: savedObject{Object: d.o.obj, Owners: d.o.owners}})
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.opts.StateFile)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".demo-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.opts.StateFile)
}

// SaveState writes the directory to Options.StateFile now (seeding does
// not go through Graph, so a caller that seeds saves once after).
func (s *Server) SaveState() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveStateLocked()
}

// StateError is the last failure to save the state file, if any: a write
// Graph accepted is not undone because the file could not be written.
func (s *Server) StateError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stateErr
}
