package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
	// Tenants are the other tenants of the server (AddTenant), each in
	// this same shape; also added without a version change.
	Tenants []json.RawMessage `json:"tenants,omitempty"`
}

// savedDeleted is a soft-deleted object and the set it came from.
type savedDeleted struct {
	Set string `json:"set"` // "applications" or "servicePrincipals"
	savedObject
}

type savedObject struct {
	Object    map[string]any `json:"object"`
	Owners    []string       `json:"owners,omitempty"`
	CreatedBy string         `json:"createdBy,omitempty"`
}

// Loaded reports whether Start found the state file (false: it started a
// fresh tenant, which the caller may seed).
func (s *Server) Loaded() bool { return s.loaded }

// loadState reads Options.StateFile when it exists.
func (s *Server) loadState() error {
	b, err := readStateFile(s.opts.StateFile)
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
	// The other tenants wait in the hub until AddTenant asks for them.
	for _, raw := range st.Tenants {
		var head struct {
			TenantID string `json:"tenantId"`
		}
		if json.Unmarshal(raw, &head) == nil && head.TenantID != "" {
			s.hub.parts[head.TenantID] = raw
		}
	}
	s.applyState(st)
	return nil
}

// loadPart loads this tenant's part of the state file (AddTenant).
func (s *Server) loadPart(raw json.RawMessage) error {
	var st savedState
	if err := json.Unmarshal(raw, &st); err != nil || st.Version != stateVersion {
		return fmt.Errorf("%s holds tenant %s in another format: remove it to start afresh", s.opts.StateFile, s.opts.TenantID)
	}
	s.applyState(st)
	return nil
}

func (s *Server) applyState(st savedState) {
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
}

func restore(objs []savedObject) []*dirObject {
	out := make([]*dirObject, 0, len(objs))
	for _, o := range objs {
		if o.Object == nil {
			continue
		}
		out = append(out, &dirObject{obj: o.Object, owners: o.Owners, createdBy: o.CreatedBy})
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
		st.Applications = append(st.Applications, savedObject{Object: a.obj, Owners: a.owners, CreatedBy: a.createdBy})
	}
	for _, sp := range s.sps {
		st.ServicePrincipals = append(st.ServicePrincipals, savedObject{Object: sp.obj, Owners: sp.owners, CreatedBy: sp.createdBy})
	}
	for _, d := range s.deleted {
		st.DeletedItems = append(st.DeletedItems, savedDeleted{Set: d.set.set, savedObject: savedObject{Object: d.o.obj, Owners: d.o.owners, CreatedBy: d.o.createdBy}})
	}
	own, err := json.Marshal(st)
	if err != nil {
		return err
	}
	// Every tenant is kept in the one file: the first at the top, the
	// others under "tenants". Each tenant hands in its own part, taken
	// under its own lock, so no tenant ever waits for another's.
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	h.parts[s.opts.TenantID] = own
	if len(h.parts) > 1 {
		// Other tenants, also those the file held that this run has not
		// added (a test or run with one tenant keeps the others).
		first := h.tenants[0].opts.TenantID
		var top savedState
		if err := json.Unmarshal(h.parts[first], &top); err != nil {
			return err
		}
		top.Tenants = nil
		var ids []string
		for _, t := range h.tenants[1:] {
			ids = append(ids, t.opts.TenantID)
		}
		var rest []string
		for id := range h.parts {
			if id != first && !slices.Contains(ids, id) {
				rest = append(rest, id)
			}
		}
		slices.Sort(rest)
		for _, id := range append(ids, rest...) {
			if p := h.parts[id]; p != nil {
				top.Tenants = append(top.Tenants, p)
			}
		}
		st = top
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

// maxStateBytes bounds the state file: a demo tenant is a few hundred KB.
const maxStateBytes = 64 << 20

// readStateFile reads the state file without ever blocking on it: it is
// opened non-blocking and refused unless it is a regular file (a FIFO
// there would otherwise hang the demo in open(2), deaf to Ctrl-C).
func readStateFile(path string) ([]byte, error) {
	fh, err := openNoBlock(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a plain file (%v): remove it to start afresh", path, info.Mode().Type())
	}
	b, err := io.ReadAll(io.LimitReader(fh, maxStateBytes+1))
	if err == nil && len(b) > maxStateBytes {
		err = fmt.Errorf("%s is larger than %d MiB, not a demo tenant: remove it to start afresh", path, maxStateBytes>>20)
	}
	return b, err
}
