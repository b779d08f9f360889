;;; test.el --- Emacs eglot as an LSP client of `exchange-auth-lint server'  -*- lexical-binding: t -*-
;;
;; Run with `emacs --batch -Q -l test.el'.  Environment: EAL_BIN (server
;; binary), EAL_ROOT (a scratch copy of the demo project), EAL_RESULTS (file
;; receiving "ok"/"not ok" lines).  Works with the eglot of Debian 12 (1.9,
;; which lists `documentChanges' but no resource operations) and later.

(require 'package)
;; Debian's elpa-eglot (and its newer project/xref) live where package.el
;; finds them; -Q does not activate them by itself.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'cl-lib)
(require 'seq)
(require 'subr-x)
(require 'project)
(require 'flymake)
(require 'eglot)

(defvar eal-bin (getenv "EAL_BIN"))
(defvar eal-root (file-name-as-directory (getenv "EAL_ROOT")))
(defvar eal-results (getenv "EAL_RESULTS"))
(defvar eal-failed 0)

(defun eal-check (name ok &optional detail)
  (unless ok (setq eal-failed (1+ eal-failed)))
  (with-temp-buffer
    (insert (if ok (format "ok - %s\n" name)
              (format "not ok - %s -- %s\n" name
                      (replace-regexp-in-string "\n" " | " (format "%s" detail)))))
    (append-to-file (point-min) (point-max) eal-results)))

(defun eal-wait (pred seconds)
  "Process input until PRED is non-nil or SECONDS pass; PRED's value."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    value))

(defun eal-codes ()
  "The rule ids of the current buffer's diagnostics, through flymake."
  (flymake-start)
  (accept-process-output nil 0.05)
  (mapcar (lambda (d)
            (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code))
          (flymake-diagnostics)))

(defun eal-read (path)
  (if (file-exists-p path)
      (with-temp-buffer
        (insert-file-contents-literally path)
        (buffer-string))
    ""))

;; The project is the copy of the demo (no version control there).
(add-hook 'project-find-functions
          (lambda (dir)
            (when (string-prefix-p eal-root (file-name-as-directory (expand-file-name dir)))
              (cons 'transient eal-root))))
;; The server's edits apply without a question (a user answers `y').
(setq eglot-confirm-server-initiated-edits nil)
(add-to-list 'eglot-server-programs `(nxml-mode . (,eal-bin "server")))

(defun eal-main ()
  (let* ((nc (concat eal-root "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml"))
         (ec (concat eal-root "force-app/main/default/externalCredentials/Exchange_Sync_Service_Graph.externalCredential-meta.xml"))
         ;; A second credential like the first, for "Fix all": its fix
         ;; creates a file too.
         (nc2 (concat eal-root "force-app/main/default/namedCredentials/Exchange_Sync_Copy.namedCredential-meta.xml"))
         (ec2 (concat eal-root "force-app/main/default/externalCredentials/Exchange_Sync_Copy_Graph.externalCredential-meta.xml")))
    (copy-file nc nc2)
    (find-file nc)
    (eal-check "metadata file opens in nxml-mode" (eq major-mode 'nxml-mode) major-mode)
    ;; What `M-x eglot' does, from `eglot-server-programs'.
    (apply #'eglot (eglot--guess-contact))
    (eal-check "eglot connects" (eal-wait #'eglot-current-server 30))
    (flymake-mode 1)
    (let ((codes (eal-wait (lambda () (let ((c (eal-codes))) (and (member "EXO001" c) c))) 30)))
      (eal-check "diagnostics arrive through flymake" (member "EXO001" codes) (eal-codes)))
    ;; `M-x eglot-code-actions' on the flagged line; the fix picked in the
    ;; menu as a user would.
    (goto-char (point-min))
    (search-forward "<protocol>")
    (let ((last-nonmenu-event 13)
          (picked nil))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt items &rest _)
                   (setq picked (seq-find (lambda (title) (string-prefix-p "Convert to OAuth 2.0" title))
                                          (mapcar #'car items)))
                   (or picked (caar items)))))
        (eglot-code-actions (point) (point) nil t))
      (eal-check "convert fix offered" picked))
    (eal-check "external credential created on disk"
               (eal-wait (lambda () (string-match-p "<authenticationProtocol>Oauth</authenticationProtocol>" (eal-read ec))) 15)
               (eal-read ec))
    (eal-check "named credential rewritten in the buffer"
               (eal-wait (lambda () (save-excursion (goto-char (point-min))
                                                    (search-forward "<externalCredential>Exchange_Sync_Service_Graph</externalCredential>" nil t)))
                         15)
               (buffer-string))
    (save-buffer)
    (let ((disk (eal-read nc)))
      (eal-check "named credential saved with the edit"
                 (and (string-match-p "<namedCredentialType>SecuredEndpoint</namedCredentialType>" disk)
                      (not (string-match-p "<password>" disk)))
                 disk))
    (let ((codes (eal-wait (lambda () (let ((c (eal-codes))) (and (not (member "EXO001" c)) (or c t)))) 30)))
      (eal-check "EXO001 cleared after the convert fix" codes (eal-codes)))
    ;; `source.fixAll.exchange-auth-lint' on the copy: the same as
    ;; `check --fix' on that file, the file it creates included.
    (find-file nc2)
    (eal-wait (lambda () (member "EXO001" (eal-codes))) 30)
    (let ((last-nonmenu-event 13)
          (offered nil))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt items &rest _)
                   (setq offered (mapcar #'car items))
                   (caar items))))
        (eglot-code-actions (point-min) (point-min) "source.fixAll.exchange-auth-lint" t))
      (eal-check "fix all offered" (or offered t) offered))
    (eal-check "fix all created the external credential on disk"
               (eal-wait (lambda () (string-match-p "<authenticationProtocol>Oauth</authenticationProtocol>" (eal-read ec2))) 15)
               (eal-read ec2))
    (eal-check "fix all rewrote the named credential in the buffer"
               (eal-wait (lambda () (save-excursion (goto-char (point-min))
                                                    (and (search-forward "<externalCredential>Exchange_Sync_Copy_Graph</externalCredential>" nil t)
                                                         (not (progn (goto-char (point-min)) (search-forward "<password>" nil t))))))
                         15)
               (buffer-string))
    (eglot-shutdown (eglot-current-server))))

(condition-case err
    (eal-main)
  (error (eal-check "script error" nil (error-message-string err))))
(kill-emacs (if (zerop eal-failed) 0 1))
