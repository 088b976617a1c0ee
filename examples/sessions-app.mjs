// The routes the session examples share: log in, see your profile, fill a cart. Only the store differs.
import express from 'express';

export function sessionRoutes(app) {
  app.use(express.json());
  app.post('/login', (req, res) => {
    req.session.user = req.body?.user ?? 'ada';
    req.session.cart = [];
    res.json({ hello: req.session.user });
  });
  app.get('/profile', (req, res) => {
    if (!req.session?.user) return res.status(401).json({ error: 'not logged in' });
    res.json({ user: req.session.user });
  });
  app.post('/cart', (req, res) => {
    if (!req.session?.user) return res.status(401).json({ error: 'not logged in' });
    req.session.cart = [...(req.session.cart ?? []), req.body?.item ?? 'thing'];
    res.json({ items: req.session.cart.length });
  });
  app.get('/cart', (req, res) => {
    if (!req.session?.user) return res.status(401).json({ error: 'not logged in' });
    res.json({ items: req.session.cart ?? [] });
  });
}
